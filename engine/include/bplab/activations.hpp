#pragma once
// Activation functions, each with its derivative written beside it.
// Element-wise functions give f(z) and the local gradient f'(z); softmax works
// on a whole row and its local gradient is a Jacobian (see softmax_backward).
#include <algorithm>
#include <cmath>
#include <cstddef>

#include "bplab/names.hpp"

namespace bplab {

enum class Activation { linear, sigmoid, tanh, relu, leaky_relu, elu, softmax };

inline constexpr NameTable<Activation, 7> activation_names{{
    {"linear", Activation::linear},
    {"sigmoid", Activation::sigmoid},
    {"tanh", Activation::tanh},
    {"relu", Activation::relu},
    {"leakyRelu", Activation::leaky_relu},
    {"elu", Activation::elu},
    {"softmax", Activation::softmax},
}};

struct ActivationSpec {
    Activation kind = Activation::tanh;
    double alpha = 0.0;  // negative slope of Leaky ReLU, scale of ELU
};

// torch's defaults: LeakyReLU(negative_slope=0.01), ELU(alpha=1.0).
inline double default_alpha(Activation kind) {
    if (kind == Activation::leaky_relu) return 0.01;
    if (kind == Activation::elu) return 1.0;
    return 0.0;
}

inline double sigmoid(double z) {
    // Two branches so that neither exp can overflow.
    if (z >= 0.0) return 1.0 / (1.0 + std::exp(-z));
    const double e = std::exp(z);
    return e / (1.0 + e);
}

// f(z) for the element-wise activations.
inline double activate(const ActivationSpec& f, double z) {
    switch (f.kind) {
        case Activation::linear: return z;
        case Activation::sigmoid: return sigmoid(z);
        case Activation::tanh: return std::tanh(z);
        case Activation::relu: return z > 0.0 ? z : 0.0;
        case Activation::leaky_relu: return z > 0.0 ? z : f.alpha * z;
        case Activation::elu: return z > 0.0 ? z : f.alpha * std::expm1(z);
        case Activation::softmax: break;
    }
    return z;
}

// f'(z), given z and a = f(z). At the kinks it takes torch's convention:
// ReLU'(0) = 0, LeakyReLU'(0) = alpha, ELU'(0) = alpha.
inline double local_gradient(const ActivationSpec& f, double z, double a) {
    switch (f.kind) {
        case Activation::linear: return 1.0;
        case Activation::sigmoid: return a * (1.0 - a);  // peaks at 0.25 when z = 0
        case Activation::tanh: return 1.0 - a * a;
        case Activation::relu: return z > 0.0 ? 1.0 : 0.0;
        case Activation::leaky_relu: return z > 0.0 ? 1.0 : f.alpha;
        case Activation::elu: return z > 0.0 ? 1.0 : f.alpha * std::exp(z);
        case Activation::softmax: return a * (1.0 - a);  // the Jacobian's diagonal
    }
    return 1.0;
}

// softmax(z) of one row, shifted by the row maximum so exp never overflows.
inline void softmax_row(const double* z, double* p, std::size_t n) {
    const double m = *std::max_element(z, z + n);
    double sum = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
        p[k] = std::exp(z[k] - m);
        sum += p[k];
    }
    for (std::size_t k = 0; k < n; ++k) p[k] /= sum;
}

// dL/dz_k = sum_j dL/dp_j * dp_j/dz_k with dp_j/dz_k = p_j (delta_jk - p_k),
// which collapses to p_k (dL/dp_k - sum_j dL/dp_j p_j).
inline void softmax_backward_row(const double* p, const double* upstream, double* downstream,
                                 std::size_t n) {
    double dot = 0.0;
    for (std::size_t j = 0; j < n; ++j) dot += upstream[j] * p[j];
    for (std::size_t k = 0; k < n; ++k) downstream[k] = p[k] * (upstream[k] - dot);
}

// a = f(z) for a rows × cols block.
inline void activate_rows(const ActivationSpec& f, const double* z, double* a, std::size_t rows,
                          std::size_t cols) {
    if (f.kind == Activation::softmax) {
        for (std::size_t r = 0; r < rows; ++r) softmax_row(z + r * cols, a + r * cols, cols);
        return;
    }
    const std::size_t n = rows * cols;
    switch (f.kind) {
        case Activation::tanh:
            for (std::size_t i = 0; i < n; ++i) a[i] = std::tanh(z[i]);
            return;
        case Activation::relu:
            for (std::size_t i = 0; i < n; ++i) a[i] = z[i] > 0.0 ? z[i] : 0.0;
            return;
        default:
            for (std::size_t i = 0; i < n; ++i) a[i] = activate(f, z[i]);
    }
}

}  // namespace bplab
