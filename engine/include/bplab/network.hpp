#pragma once
// Dense layers. Layer l maps the activations of its inputs to its units with
// W[j][i]: to unit j, from input i (the course's θ₂₁ is "to 2, from 1").
#include <cstddef>

#include <xtensor/xtensor.hpp>

#include "bplab/activations.hpp"
#include "bplab/names.hpp"
#include "bplab/random.hpp"

namespace bplab {

enum class Init { xavier, he, uniform };

inline constexpr NameTable<Init, 3> init_names{{
    {"xavier", Init::xavier},
    {"he", Init::he},
    {"uniform", Init::uniform},
}};

struct DenseLayer {
    xt::xtensor<double, 2> weights;  // units × inputs, row-major
    xt::xtensor<double, 1> biases;   // units
    ActivationSpec activation;

    std::size_t units() const { return weights.shape()[0]; }
    std::size_t inputs() const { return weights.shape()[1]; }
};

DenseLayer make_layer(std::size_t inputs, std::size_t units, ActivationSpec activation);

// xavier: Glorot uniform, bound sqrt(6 / (fan_in + fan_out)), biases 0 (torch's xavier_uniform_).
// he: normal with std sqrt(2 / fan_in), biases 0 (torch's kaiming_normal_).
// uniform: TensorFlow Playground's U(-0.5, 0.5) weights and 0.1 biases.
void init_layer(DenseLayer& layer, Init init, Rng& rng);

// z = x Wᵀ + b for `rows` input rows of x: one contiguous pass per row.
void dense_forward(const DenseLayer& layer, const double* x, std::size_t rows, double* z);

// Many points at once, stored by column: a block holds up to column_block
// points, and value k of point p sits at [k * column_block + p] (k an input
// for x, a unit for z). column_block × 8 units × 8 bytes stays in L1.
inline constexpr std::size_t column_block = 128;
inline constexpr std::size_t column_lanes = 4;

// z = x Wᵀ + b for the first `points` points of a block. Points go four at a
// time, so the lanes up to the next multiple of 4 are computed too (from
// whatever x holds there). Each z is summed in the same order as in
// dense_forward (b, then input 0, 1, …), so both give identical numbers.
void dense_forward_columns(const DenseLayer& layer, const double* x, std::size_t points, double* z);

// The same in float (weights and biases rounded to float), for the heatmap
// grid: twice the lanes, so points go eight at a time and the lanes up to the
// next multiple of 8 are computed too.
inline constexpr std::size_t column_lanes_float = 8;
void dense_forward_columns(const DenseLayer& layer, const float* x, std::size_t points, float* z);

}  // namespace bplab
