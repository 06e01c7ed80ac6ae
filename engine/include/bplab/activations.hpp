#pragma once
// Activation functions, each with its derivative written beside it.
// Element-wise functions give f(z) and the local gradient f'(z); softmax works
// on a whole row and its local gradient is a Jacobian (see softmax_backward).
#include <algorithm>
#include <cmath>
#include <cstddef>

#include "bplab/names.hpp"
#include "bplab/simd.hpp"

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

// tanh of two lanes, within 4 ulp of the exact value (std::tanh: 1 ulp),
// branch-free so that it vectorises, and the same bits natively and in
// WebAssembly. With 2|x| = k ln2 + r (|r| <= ln2/2) and Cephes' exp(r) =
// (Q + rP) / (Q - rP), P and Q polynomials in r², tanh|x| = (e^2|x| - 1)/(e^2|x| + 1)
// over one fraction, with A = 2^k (Q + rP), is
//   ((A - (Q + rP)) + 2rP) / (A + (Q - rP)):
// one division, and near 0 (k = 0, A - (Q + rP) = 0) it is 2rP / 2Q with no
// cancellation, so tanh x ≈ x keeps its relative precision. The reduction
// works on |x| = k ln2/2 + r/2 and the coefficients are scaled to match (by
// powers of 2, exactly). |x| > 20 gives 1, as tanh 20 rounds to 1.
inline simd::f64x2 tanh_lanes(simd::f64x2 x) {
    using namespace simd;
    const u64x2 sign = bits(splat(-0.0));
    const u64x2 x_bits = bits(x);
    const f64x2 ax = pmin(from_bits(x_bits & ~sign), splat(20.0));  // NaN stays NaN
    // k = round(2|x| / ln2): adding 1.5·2^52 rounds to an integer and leaves k in the low bits.
    const f64x2 shifter = splat(0x1.8p52);
    const f64x2 k_shifted = ax * splat(2.8853900817779268147) + shifter;
    const f64x2 k = k_shifted - shifter;
    // h = r/2; k·ln2/2 rounds once, which moves tanh by under 0.2 ulp.
    const f64x2 h = ax - k * splat(0.34657359027997265471);
    const f64x2 hh = h * h;
    // Cephes' P(r²) and Q(r²) written in h = r/2: coefficient of r^2n times 4^n.
    const f64x2 p = (hh * splat(2.018835089196969454048e-3) + splat(1.211977630829767845200e-1)) * hh +
                    splat(9.99999999999999999910e-1);
    const f64x2 q = ((hh * splat(1.9212704328874525122688e-4) + splat(4.039173445594945667072e-2)) * hh +
                     splat(9.09062192832620115064e-1)) * hh +
                    splat(2.00000000000000000009e0);
    const f64x2 rp = (h + h) * p;
    const f64x2 num = q + rp, den = q - rp;
    const f64x2 a = from_bits((bits(k_shifted) + 1023) << 52) * num;  // 2^k: k + bias in the exponent field
    // From k = 3 on (tanh|x| > 0.7) the same value as 1 - 2(Q - rP) / (A + (Q - rP)):
    // the quotient is small, so tanh rounds as the exact value would.
    const i64x2 far = k > splat(2.5);
    const f64x2 quotient = select(far, den + den, (a - num) + (rp + rp)) / (a + den);
    const f64x2 t = select(far, splat(1.0) - quotient, quotient);
    return from_bits(bits(t) | (x_bits & sign));
}

// The same for one value: activate() and activate_rows() give the same bits.
inline double tanh_one(double z) { return tanh_lanes(simd::f64x2{z, 0.0})[0]; }

// f(z) for the element-wise activations.
inline double activate(const ActivationSpec& f, double z) {
    switch (f.kind) {
        case Activation::linear: return z;
        case Activation::sigmoid: return sigmoid(z);
        case Activation::tanh: return tanh_one(z);
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

// a = tanh(z) for n values, two at a time (an odd last one in a padded pair).
// Four pairs per pass give the processor independent work to overlap.
inline void tanh_block(const double* z, double* a, std::size_t n) {
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const simd::f64x2 a0 = tanh_lanes(simd::load(z + i));
        const simd::f64x2 a1 = tanh_lanes(simd::load(z + i + 2));
        const simd::f64x2 a2 = tanh_lanes(simd::load(z + i + 4));
        const simd::f64x2 a3 = tanh_lanes(simd::load(z + i + 6));
        simd::store(a + i, a0);
        simd::store(a + i + 2, a1);
        simd::store(a + i + 4, a2);
        simd::store(a + i + 6, a3);
    }
    for (; i + 2 <= n; i += 2) simd::store(a + i, tanh_lanes(simd::load(z + i)));
    if (i < n) a[i] = tanh_one(z[i]);
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
            tanh_block(z, a, n);
            return;
        case Activation::relu:
            for (std::size_t i = 0; i < n; ++i) a[i] = z[i] > 0.0 ? z[i] : 0.0;
            return;
        default:
            for (std::size_t i = 0; i < n; ++i) a[i] = activate(f, z[i]);
    }
}

// Float32 versions for the heatmap grid, four lanes at a time: branch-free,
// with the same bits natively and in WebAssembly. exp, expm1, sigmoid and
// tanh share one reduction (exp_parts).

namespace detail {

// e^x = 2^k (Q + rP) / (Q - rP) for x = k ln2 + r, |r| <= ln2/2, where
// (Q + rP) / (Q - rP) with Q = 120 + 12r², P = 60 + r² is the [3/3] Padé
// approximant of e^r (relative error under r⁷/100800 ≈ 6e-9, a tenth of a
// float ulp). Q and P are divided by 128 (exactly), so that 2^k (Q + rP) stays
// finite up to k = 127. x must lie in [-87, 88], or be NaN.
struct ExpParts {
    simd::f32x4 scaled;  // A = 2^k (Q + rP)
    simd::f32x4 num;     // Q + rP
    simd::f32x4 den;     // Q - rP
    simd::f32x4 rp;      // rP
};

inline ExpParts exp_parts(simd::f32x4 x) {
    using namespace simd;
    // k = round(x / ln2): adding 1.5·2^23 rounds to an integer and leaves k in the low bits.
    const f32x4 shifter = splat(0x1.8p23f);
    const f32x4 k_shifted = x * splat(1.44269504088896341f) + shifter;
    const f32x4 k = k_shifted - shifter;
    // ln2 in two parts (Cephes' expf): k · 0.693359375 is exact, and so is x minus it.
    const f32x4 r = (x - k * splat(0.693359375f)) - k * splat(-2.12194440e-4f);
    const f32x4 rr = r * r;
    const f32x4 q = rr * splat(0.09375f) + splat(0.9375f);
    const f32x4 rp = r * (rr * splat(0.0078125f) + splat(0.46875f));
    const f32x4 num = q + rp;
    const f32x4 scale = from_bits((bits(k_shifted) + 127) << 23);  // 2^k: k + bias in the exponent field
    return {scale * num, num, q - rp, rp};
}

inline simd::f32x4 clamp_exp_argument(simd::f32x4 x) {
    return simd::pmax(simd::pmin(x, simd::splat(88.0f)), simd::splat(-87.0f));  // NaN stays NaN
}

}  // namespace detail

// e^x of four floats, within a few ulp; past [-87, 88] the value at the end
// of that range (e^-87 ≈ 1.6e-38 for 0, e^88 ≈ 1.7e38 for overflow).
inline simd::f32x4 exp_lanes(simd::f32x4 x) {
    const detail::ExpParts e = detail::exp_parts(detail::clamp_exp_argument(x));
    return e.scaled / e.den;
}

// e^x - 1 as ((A - (Q + rP)) + 2rP) / (Q - rP): near 0 (k = 0, A = Q + rP)
// it is 2rP / (Q - rP) with no cancellation, so it keeps its relative precision.
inline simd::f32x4 expm1_lanes(simd::f32x4 x) {
    const detail::ExpParts e = detail::exp_parts(detail::clamp_exp_argument(x));
    return ((e.scaled - e.num) + (e.rp + e.rp)) / e.den;
}

// 1 / (1 + e^-z) = (Q - rP) / ((Q - rP) + A) for the parts of e^-z: one division.
inline simd::f32x4 sigmoid_lanes(simd::f32x4 z) {
    const detail::ExpParts e = detail::exp_parts(detail::clamp_exp_argument(-z));
    return e.den / (e.den + e.scaled);
}

// tanh of four floats, as tanh_lanes does it for two doubles: tanh|x| =
// (e^2|x| - 1) / (e^2|x| + 1) over one fraction, ((A - (Q + rP)) + 2rP) / (A + (Q - rP))
// for the parts of e^2|x|, odd by its sign bit. |x| > 10 gives 1, as tanh 10
// rounds to 1 in float.
inline simd::f32x4 tanh_lanes(simd::f32x4 x) {
    using namespace simd;
    const u32x4 sign = bits(splat(-0.0f));
    const u32x4 x_bits = bits(x);
    const f32x4 ax = pmin(from_bits(x_bits & ~sign), splat(10.0f));  // NaN stays NaN
    const detail::ExpParts e = detail::exp_parts(ax + ax);
    const f32x4 t = ((e.scaled - e.num) + (e.rp + e.rp)) / (e.scaled + e.den);
    return from_bits(bits(t) | (x_bits & sign));
}

inline simd::f32x4 relu_lanes(simd::f32x4 z) {
    const simd::f32x4 zero = simd::splat(0.0f);
    return simd::select(z > zero, z, zero);
}

inline simd::f32x4 leaky_relu_lanes(simd::f32x4 z, float alpha) {
    return simd::select(z > simd::splat(0.0f), z, simd::splat(alpha) * z);
}

inline simd::f32x4 elu_lanes(simd::f32x4 z, float alpha) {
    return simd::select(z > simd::splat(0.0f), z, simd::splat(alpha) * expm1_lanes(z));
}

namespace detail {

// a = g(z) for n floats, four at a time and four groups per pass, for the
// processor to overlap; the last few through a padded group.
template <class G>
void map_lanes(const float* z, float* a, std::size_t n, G g) {
    using namespace simd;
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const f32x4 a0 = g(load(z + i));
        const f32x4 a1 = g(load(z + i + 4));
        const f32x4 a2 = g(load(z + i + 8));
        const f32x4 a3 = g(load(z + i + 12));
        store(a + i, a0);
        store(a + i + 4, a1);
        store(a + i + 8, a2);
        store(a + i + 12, a3);
    }
    for (; i + 4 <= n; i += 4) store(a + i, g(load(z + i)));
    if (i == n) return;
    float group[4] = {};
    std::copy(z + i, z + n, group);
    store(group, g(load(group)));
    std::copy(group, group + (n - i), a + i);
}

}  // namespace detail

// a = f(z) for n floats and an element-wise activation (softmax: see
// softmax_lanes), as activate() gives it in double: one loop per kind.
inline void activate_block(const ActivationSpec& f, const float* z, float* a, std::size_t n) {
    using simd::f32x4;
    const float alpha = static_cast<float>(f.alpha);
    switch (f.kind) {
        case Activation::sigmoid: return detail::map_lanes(z, a, n, [](f32x4 v) { return sigmoid_lanes(v); });
        case Activation::tanh: return detail::map_lanes(z, a, n, [](f32x4 v) { return tanh_lanes(v); });
        case Activation::relu: return detail::map_lanes(z, a, n, [](f32x4 v) { return relu_lanes(v); });
        case Activation::leaky_relu:
            return detail::map_lanes(z, a, n, [alpha](f32x4 v) { return leaky_relu_lanes(v, alpha); });
        case Activation::elu: return detail::map_lanes(z, a, n, [alpha](f32x4 v) { return elu_lanes(v, alpha); });
        case Activation::linear:
        case Activation::softmax: break;
    }
    detail::map_lanes(z, a, n, [](f32x4 v) { return v; });  // not std::copy: Emscripten's memcpy is slow
}

// softmax over n units for four points at once, one point per lane: unit k
// of the four at z[k * stride], … Shifted by each point's maximum, and summed
// in the order softmax_row sums.
inline void softmax_lanes(const float* z, float* p, std::size_t n, std::size_t stride) {
    using namespace simd;
    f32x4 m = load(z);
    for (std::size_t k = 1; k < n; ++k) m = pmax(m, load(z + k * stride));  // NaN as max_element
    f32x4 sum = splat(0.0f);
    for (std::size_t k = 0; k < n; ++k) {
        const f32x4 e = exp_lanes(load(z + k * stride) - m);
        store(p + k * stride, e);
        sum += e;
    }
    for (std::size_t k = 0; k < n; ++k) store(p + k * stride, load(p + k * stride) / sum);
}

}  // namespace bplab
