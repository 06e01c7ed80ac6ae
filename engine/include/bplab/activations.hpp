#pragma once
// Activation functions: for each one, f(z) and its derivative f′ side by side.
// f′ is the local gradient of the chain rule; it reads z, or a = f(z) where
// that is the simpler formula. Softmax works on a whole row, and its local
// gradient is a Jacobian (softmax_backward_row).
#include <algorithm>
#include <cmath>
#include <cstddef>

#include "bplab/names.hpp"
#include "kernels/lanes.hpp"

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

// Only Leaky ReLU and ELU read alpha.
inline bool takes_alpha(Activation kind) { return default_alpha(kind) != 0.0; }

// A layer that names no activation: tanh when hidden (as the playground), linear at the output.
inline Activation default_activation(bool output) { return output ? Activation::linear : Activation::tanh; }

// σ(z) = 1 / (1 + e^−z), in two branches so that neither exp can overflow.
inline double sigmoid(double z) {
    if (z >= 0.0) return 1.0 / (1.0 + std::exp(-z));
    const double e = std::exp(z);
    return e / (1.0 + e);
}

// ---- each function: f(z, α) and f′(z, a, α). At a kink f′ takes torch's value. ----------------

struct Linear {
    static double f(double z, double) { return z; }
    static double df(double, double, double) { return 1.0; }
};

// σ′ = σ(1 − σ): at most 0.25, at z = 0 (the seed of vanishing gradients).
struct Sigmoid {
    static double f(double z, double) { return sigmoid(z); }
    static double df(double, double a, double) { return a * (1.0 - a); }
};

// tanh′ = 1 − tanh². tanh itself comes from the kernels: the same bits natively and in WebAssembly.
struct Tanh {
    static double f(double z, double) { return kernels::tanh_one(z); }
    static double df(double, double a, double) { return 1.0 - a * a; }
};

// ReLU = max(z, 0); its slope is 1 above 0, else 0 (0 at z = 0).
struct Relu {
    static double f(double z, double) { return z > 0.0 ? z : 0.0; }
    static double df(double z, double, double) { return z > 0.0 ? 1.0 : 0.0; }
};

// Leaky ReLU = z above 0, else αz; its slope 1 or α (α at z = 0).
struct LeakyRelu {
    static double f(double z, double alpha) { return z > 0.0 ? z : alpha * z; }
    static double df(double z, double, double alpha) { return z > 0.0 ? 1.0 : alpha; }
};

// ELU = z above 0, else α(e^z − 1); its slope 1 or αe^z (α at z = 0).
struct Elu {
    static double f(double z, double alpha) { return z > 0.0 ? z : alpha * std::expm1(z); }
    static double df(double z, double, double alpha) { return z > 0.0 ? 1.0 : alpha * std::exp(z); }
};

// Softmax's f is softmax_row (a whole row); the local gradient reported per unit is the
// Jacobian's diagonal ∂p_k/∂z_k = p_k (1 − p_k).
struct Softmax {
    static double f(double z, double) { return z; }
    static double df(double, double a, double) { return a * (1.0 - a); }
};

// visit(F{}) for the function named by kind: code that loops over many values
// is compiled once per function, so that each loop vectorises.
template <class Visit>
decltype(auto) with_function(Activation kind, Visit&& visit) {
    switch (kind) {
        case Activation::linear: return visit(Linear{});
        case Activation::sigmoid: return visit(Sigmoid{});
        case Activation::tanh: return visit(Tanh{});
        case Activation::relu: return visit(Relu{});
        case Activation::leaky_relu: return visit(LeakyRelu{});
        case Activation::elu: return visit(Elu{});
        case Activation::softmax: break;
    }
    return visit(Softmax{});
}

// f(z) of an element-wise activation.
inline double activate(const ActivationSpec& f, double z) {
    return with_function(f.kind, [&](auto fn) { return fn.f(z, f.alpha); });
}

// f′(z), given z and a = f(z).
inline double local_gradient(const ActivationSpec& f, double z, double a) {
    return with_function(f.kind, [&](auto fn) { return fn.df(z, a, f.alpha); });
}

// ---- softmax: p = e^(z − max z) / Σ e^(z − max z), one row ----------------------------------

// Shifted by the row's maximum, so exp never overflows.
inline void softmax_row(const double* z, double* p, std::size_t n) {
    const double m = *std::max_element(z, z + n);
    double sum = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
        p[k] = std::exp(z[k] - m);
        sum += p[k];
    }
    for (std::size_t k = 0; k < n; ++k) p[k] /= sum;
}

// ∂ℓ/∂z_k = Σ_j ∂ℓ/∂p_j · ∂p_j/∂z_k with ∂p_j/∂z_k = p_j (δ_jk − p_k),
// which collapses to p_k (∂ℓ/∂p_k − Σ_j ∂ℓ/∂p_j p_j).
inline void softmax_backward_row(const double* p, const double* upstream, double* downstream,
                                 std::size_t n) {
    double dot = 0.0;
    for (std::size_t j = 0; j < n; ++j) dot += upstream[j] * p[j];
    for (std::size_t k = 0; k < n; ++k) downstream[k] = p[k] * (upstream[k] - dot);
}

// ---- many values: a layer's rows ---------------------------------------------------------------

// a = f(z) for a rows × cols block (softmax: row by row).
inline void activate_rows(const ActivationSpec& f, const double* z, double* a, std::size_t rows,
                          std::size_t cols) {
    if (f.kind == Activation::softmax) {
        for (std::size_t r = 0; r < rows; ++r) softmax_row(z + r * cols, a + r * cols, cols);
        return;
    }
    const std::size_t n = rows * cols;
    if (f.kind == Activation::tanh) return kernels::tanh_block(z, a, n);  // two at a time
    with_function(f.kind, [&](auto fn) {
        for (std::size_t i = 0; i < n; ++i) a[i] = fn.f(z[i], f.alpha);
    });
}

// The chain rule of an element-wise activation for n values:
// local = f′(z), downstream ∂ℓ/∂z = upstream ∂ℓ/∂a × local.
inline void chain_rule(const ActivationSpec& f, const double* z, const double* a, const double* upstream,
                       double* local, double* downstream, std::size_t n) {
    with_function(f.kind, [&](auto fn) {
        for (std::size_t i = 0; i < n; ++i) {
            local[i] = fn.df(z[i], a[i], f.alpha);
            downstream[i] = upstream[i] * local[i];
        }
    });
}

}  // namespace bplab
