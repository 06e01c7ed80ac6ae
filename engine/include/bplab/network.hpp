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

}  // namespace bplab
