#pragma once
// Functions of many values at once: tanh of two doubles for the layers,
// exp, expm1, sigmoid and tanh of four floats for the heatmap grid. All are
// branch-free, so that they vectorise, and give the same bits natively and in
// WebAssembly (std::tanh and std::exp differ between the two C libraries).
#include <algorithm>
#include <cstddef>

#include "kernels/simd.hpp"

namespace bplab::kernels {

// tanh of two lanes, within 4 ulp of the exact value (std::tanh: 1 ulp).
// With 2|x| = k ln2 + r (|r| <= ln2/2) and Cephes' exp(r) = (Q + rP) / (Q - rP),
// P and Q polynomials in r², tanh|x| = (e^2|x| - 1)/(e^2|x| + 1) over one
// fraction, with A = 2^k (Q + rP), is
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

// The same for one value: one tanh and a block of them give the same bits.
inline double tanh_one(double z) { return tanh_lanes(simd::f64x2{z, 0.0})[0]; }

// a = tanh(z) for n values, two at a time (an odd last one alone). Four
// pairs per pass give the processor independent work to overlap.
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

// ---- four floats: the heatmap grid ---------------------------------------------------------
// exp, expm1, sigmoid and tanh share one reduction (exp_parts).

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

// e^x of four floats, within a few ulp; past [-87, 88] the value at the end
// of that range (e^-87 ≈ 1.6e-38 for 0, e^88 ≈ 1.7e38 for overflow).
inline simd::f32x4 exp_lanes(simd::f32x4 x) {
    const ExpParts e = exp_parts(clamp_exp_argument(x));
    return e.scaled / e.den;
}

// e^x - 1 as ((A - (Q + rP)) + 2rP) / (Q - rP): near 0 (k = 0, A = Q + rP)
// it is 2rP / (Q - rP) with no cancellation, so it keeps its relative precision.
inline simd::f32x4 expm1_lanes(simd::f32x4 x) {
    const ExpParts e = exp_parts(clamp_exp_argument(x));
    return ((e.scaled - e.num) + (e.rp + e.rp)) / e.den;
}

// 1 / (1 + e^-z) = (Q - rP) / ((Q - rP) + A) for the parts of e^-z: one division.
inline simd::f32x4 sigmoid_lanes(simd::f32x4 z) {
    const ExpParts e = exp_parts(clamp_exp_argument(-z));
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
    const ExpParts e = exp_parts(ax + ax);
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

// softmax over n units for four points at once, one point per lane: unit k
// of the four at z[k * stride], … Shifted by each point's maximum, and summed
// in the order the double softmax sums.
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

}  // namespace bplab::kernels
