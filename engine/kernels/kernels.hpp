#pragma once
// The engine's fast kernels, behind the names of the operations the course
// writes: W·x + b, Wᵀ·δ, the batch mean of δ·xᵀ, tanh of many values. The
// readable code (engine/include/bplab, engine/src) calls these; each gives the
// same bits as the plain loop written beside its declaration (tests/engine/
// test_kernels.cpp checks them against it), natively and in WebAssembly.
//
// Matrices are row-major: W is units × inputs, W[j][i] at w[j * inputs + i];
// `rows` rows of x hold `inputs` values each.
#include <cstddef>

#include "bplab/activations.hpp"
#include "kernels/lanes.hpp"

namespace bplab::kernels {

// z[r][j] = b[j] + Σ_i W[j][i] x[r][i], summed in that order (b, then i = 0, 1, …):
//   for j: z = b[j]; for i: z += w[j][i] * x[r][i]
void matvec(const double* w, const double* b, std::size_t units, std::size_t inputs, const double* x,
            std::size_t rows, double* z);

// out[r][i] = Σ_j W[j][i] d[r][j], summed from 0 in the order j = 0, 1, …
void matvec_transposed(const double* w, std::size_t units, std::size_t inputs, const double* d,
                       std::size_t rows, double* out);

// g[j][i] = (Σ_r d[r][j] x[r][i]) · (1 / rows), summed from 0 in the order r = 0, 1, …
// (d: rows × units, x: rows × inputs, g: units × inputs)
void outer_product_mean(const double* d, std::size_t units, const double* x, std::size_t inputs,
                        std::size_t rows, double* g);

// m[j] = (Σ_r d[r][j]) · (1 / rows), summed from 0 in the order r = 0, 1, …
void column_mean(const double* d, std::size_t units, std::size_t rows, double* m);

// Many points at once, stored by column: a block holds up to column_block
// points, and value k of point p sits at [k * column_block + p] (k an input
// for x, a unit for z). column_block × 8 units × 8 bytes stays in L1.
inline constexpr std::size_t column_block = 128;
inline constexpr std::size_t column_lanes = 4;        // points per pass in double
inline constexpr std::size_t column_lanes_float = 8;  // and in float

// matvec for the first `points` points of a block stored by column, each z
// summed in matvec's order. Points go column_lanes at a time, so the lanes up
// to the next multiple are computed too (from whatever x holds there). The
// float version rounds W and b to float and sums in float.
void matvec_columns(const double* w, const double* b, std::size_t units, std::size_t inputs, const double* x,
                    std::size_t points, double* z);
void matvec_columns(const double* w, const double* b, std::size_t units, std::size_t inputs, const float* x,
                    std::size_t points, float* z);

// a = f(z) for n floats and an element-wise activation, within 4 float ulp of
// the double activate(): the heatmap grid's activations (softmax: softmax_lanes).
void activate_block(const ActivationSpec& f, const float* z, float* a, std::size_t n);

// to[i] = from[i] for n floats; whether every one is finite (in the same pass: the
// heatmaps are checked as they are copied). std::copy becomes memcpy, which Emscripten
// runs word by word, and from 512 bytes on (a whole block) as a call out to JavaScript.
bool copy_floats(const float* from, std::size_t n, float* to);

// Whether every one of n values is finite: x − x is 0 for a finite x and NaN otherwise;
// eight independent sums let the compiler use vector lanes.
template <class T>
bool all_finite(const T* x, std::size_t n) {
    constexpr std::size_t lanes = 8;
    T sum[lanes] = {};
    std::size_t i = 0;
    for (; i + lanes <= n; i += lanes)
        for (std::size_t k = 0; k < lanes; ++k) sum[k] += x[i + k] - x[i + k];
    for (; i < n; ++i) sum[0] += x[i] - x[i];
    T total = 0;
    for (std::size_t k = 0; k < lanes; ++k) total += sum[k];
    return total == 0;
}

}  // namespace bplab::kernels
