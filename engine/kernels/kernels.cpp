#include "kernels/kernels.hpp"

#include <algorithm>
#include <type_traits>

#include "kernels/simd.hpp"

namespace bplab::kernels {
namespace {

// ---- matvec: rows of points ----------------------------------------------------------------

// One unit's z for every row: b, then input 0, 1, … added in order.
void unit_rows(const double* wj, double bj, std::size_t in, const double* x, std::size_t rows,
               std::size_t out, double* zj) {
    for (std::size_t r = 0; r < rows; ++r) {
        const double* xr = x + r * in;
        double sum = bj;
        for (std::size_t i = 0; i < in; ++i) sum += wj[i] * xr[i];
        zj[r * out] = sum;
    }
}

// Units two at a time: their weights for each input side by side in
// registers (IN of them), each row's input broadcast against them. The sums
// run in the same order as unit_rows.
template <std::size_t IN>
void matvec_pairs(const double* w, const double* b, std::size_t out, const double* x, std::size_t rows,
                  double* z) {
    using namespace simd;
    std::size_t j = 0;
    for (; j + 2 <= out; j += 2) {
        f64x2 pair[IN];
        for (std::size_t i = 0; i < IN; ++i) pair[i] = f64x2{w[j * IN + i], w[(j + 1) * IN + i]};
        const f64x2 bias = f64x2{b[j], b[j + 1]};
        for (std::size_t r = 0; r < rows; ++r) {
            const double* xr = x + r * IN;
            f64x2 sum = bias;
            for (std::size_t i = 0; i < IN; ++i) sum += pair[i] * splat(xr[i]);
            store(z + r * out + j, sum);
        }
    }
    if (j < out) unit_rows(w + j * IN, b[j], IN, x, rows, out, z + j);
}

// ---- sums weighted by a column: Wᵀ·d and the mean of d·xᵀ -----------------------------------

// out[c] = (Σ_t src[t][c] · coef[t]) · scale for 2N values of c, the sum taken
// in the order t = 0, 1, … from 0 as the plain loop would.
template <std::size_t N>
void weighted_sum_lanes(const double* src, std::size_t src_stride, const double* coef,
                        std::size_t coef_stride, std::size_t count, double scale, double* out) {
    using namespace simd;
    f64x2 acc[N];
    for (std::size_t v = 0; v < N; ++v) acc[v] = splat(0.0);
    for (std::size_t t = 0; t < count; ++t) {
        const f64x2 c = splat(coef[t * coef_stride]);
        const double* s = src + t * src_stride;
        for (std::size_t v = 0; v < N; ++v) acc[v] += load(s + 2 * v) * c;
    }
    for (std::size_t v = 0; v < N; ++v) store(out + 2 * v, acc[v] * splat(scale));
}

// The same for n values of c, eight, then two, then one at a time.
void weighted_sum(const double* src, std::size_t src_stride, const double* coef, std::size_t coef_stride,
                  std::size_t count, std::size_t n, double scale, double* out) {
    std::size_t c = 0;
    for (; c + 8 <= n; c += 8) weighted_sum_lanes<4>(src + c, src_stride, coef, coef_stride, count, scale, out + c);
    for (; c + 2 <= n; c += 2) weighted_sum_lanes<1>(src + c, src_stride, coef, coef_stride, count, scale, out + c);
    for (; c < n; ++c) {
        double acc = 0.0;
        for (std::size_t t = 0; t < count; ++t) acc += src[t * src_stride + c] * coef[t * coef_stride];
        out[c] = acc * scale;
    }
}

// ---- matvec: a block of points stored by column ----------------------------------------------

static_assert(column_block % column_lanes == 0 && column_block % column_lanes_float == 0,
              "a block is whole groups of lanes");

// Points per tile: two vectors of doubles or of floats.
template <class T>
constexpr std::size_t tile_points = std::is_same_v<T, float> ? column_lanes_float : column_lanes;

// Inputs per pass of column_group: its weights, rearranged, sit on the stack.
constexpr std::size_t packed_inputs = 64;

// Units u < N (weights wt[i * N + u]) for the tile_points points from x and
// z on (four doubles, or eight floats): 2N accumulators stay in registers
// while `inputs` inputs stream past. They start from the biases, or from z
// when an earlier pass covered the inputs before these.
template <class T, std::size_t N>
void column_tile(const T* wt, std::size_t inputs, const T* x, const T* bias, T* z) {
    using namespace simd;
    using Lanes = decltype(load(x));
    constexpr std::size_t lanes = tile_points<T> / 2;
    static_assert(sizeof(Lanes) == lanes * sizeof(T), "a tile is two vectors");
    Lanes lo[N], hi[N];
    for (std::size_t u = 0; u < N; ++u) {
        lo[u] = bias ? splat(bias[u]) : load(z + u * column_block);
        hi[u] = bias ? splat(bias[u]) : load(z + u * column_block + lanes);
    }
    for (std::size_t i = 0; i < inputs; ++i) {
        const Lanes x_lo = load(x);
        const Lanes x_hi = load(x + lanes);
        for (std::size_t u = 0; u < N; ++u) {
            const Lanes wji = splat(wt[u]);
            lo[u] += wji * x_lo;
            hi[u] += wji * x_hi;
        }
        x += column_block;
        wt += N;
    }
    for (std::size_t u = 0; u < N; ++u) {
        store(z + u * column_block, lo[u]);
        store(z + u * column_block + lanes, hi[u]);
    }
}

// Units j0 … j0 + N - 1 for every point: their weights input by input, side
// by side (rounded to T), so that the tile reads them from one pointer.
template <class T, std::size_t N>
void column_group(const double* w, const double* b, std::size_t in, std::size_t j0, const T* x,
                  std::size_t points, T* z) {
    T wt[N * packed_inputs];
    T bias[N];
    for (std::size_t u = 0; u < N; ++u) bias[u] = static_cast<T>(b[j0 + u]);
    for (std::size_t i0 = 0; i0 < in; i0 += packed_inputs) {
        const std::size_t count = std::min(packed_inputs, in - i0);
        for (std::size_t i = 0; i < count; ++i)
            for (std::size_t u = 0; u < N; ++u) wt[i * N + u] = static_cast<T>(w[(j0 + u) * in + i0 + i]);
        for (std::size_t p = 0; p < points; p += tile_points<T>)
            column_tile<T, N>(wt, count, x + i0 * column_block + p, i0 == 0 ? bias : nullptr,
                              z + j0 * column_block + p);
    }
}

template <class T>
void columns(const double* w, const double* b, std::size_t units, std::size_t inputs, const T* x,
             std::size_t points, T* z) {
    std::size_t j = 0;
    for (; j + 4 <= units; j += 4) column_group<T, 4>(w, b, inputs, j, x, points, z);
    for (; j < units; ++j) column_group<T, 1>(w, b, inputs, j, x, points, z);
}

}  // namespace

void matvec(const double* w, const double* b, std::size_t units, std::size_t inputs, const double* x,
            std::size_t rows, double* z) {
    switch (inputs) {
        case 1: return matvec_pairs<1>(w, b, units, x, rows, z);
        case 2: return matvec_pairs<2>(w, b, units, x, rows, z);
        case 3: return matvec_pairs<3>(w, b, units, x, rows, z);
        case 4: return matvec_pairs<4>(w, b, units, x, rows, z);
        case 5: return matvec_pairs<5>(w, b, units, x, rows, z);
        case 6: return matvec_pairs<6>(w, b, units, x, rows, z);
        case 7: return matvec_pairs<7>(w, b, units, x, rows, z);
        case 8: return matvec_pairs<8>(w, b, units, x, rows, z);
        default: break;
    }
    for (std::size_t j = 0; j < units; ++j) unit_rows(w + j * inputs, b[j], inputs, x, rows, units, z + j);
}

void matvec_transposed(const double* w, std::size_t units, std::size_t inputs, const double* d,
                       std::size_t rows, double* out) {
    for (std::size_t r = 0; r < rows; ++r)
        weighted_sum(w, inputs, d + r * units, 1, units, inputs, 1.0, out + r * inputs);
}

void outer_product_mean(const double* d, std::size_t units, const double* x, std::size_t inputs,
                        std::size_t rows, double* g) {
    const double inv = 1.0 / static_cast<double>(rows);
    for (std::size_t j = 0; j < units; ++j) weighted_sum(x, inputs, d + j, units, rows, inputs, inv, g + j * inputs);
}

void column_mean(const double* d, std::size_t units, std::size_t rows, double* m) {
    const double inv = 1.0 / static_cast<double>(rows);
    for (std::size_t j = 0; j < units; ++j) {
        double sum = 0.0;
        for (std::size_t r = 0; r < rows; ++r) sum += d[r * units + j];
        m[j] = sum * inv;
    }
}

void matvec_columns(const double* w, const double* b, std::size_t units, std::size_t inputs, const double* x,
                    std::size_t points, double* z) {
    columns(w, b, units, inputs, x, points, z);
}

void matvec_columns(const double* w, const double* b, std::size_t units, std::size_t inputs, const float* x,
                    std::size_t points, float* z) {
    columns(w, b, units, inputs, x, points, z);
}

void activate_block(const ActivationSpec& f, const float* z, float* a, std::size_t n) {
    using simd::f32x4;
    const float alpha = static_cast<float>(f.alpha);
    switch (f.kind) {
        case Activation::sigmoid: return map_lanes(z, a, n, [](f32x4 v) { return sigmoid_lanes(v); });
        case Activation::tanh: return map_lanes(z, a, n, [](f32x4 v) { return tanh_lanes(v); });
        case Activation::relu: return map_lanes(z, a, n, [](f32x4 v) { return relu_lanes(v); });
        case Activation::leaky_relu:
            return map_lanes(z, a, n, [alpha](f32x4 v) { return leaky_relu_lanes(v, alpha); });
        case Activation::elu: return map_lanes(z, a, n, [alpha](f32x4 v) { return elu_lanes(v, alpha); });
        case Activation::linear:
        case Activation::softmax: break;
    }
    map_lanes(z, a, n, [](f32x4 v) { return v; });  // not std::copy: see copy_floats
}

bool copy_floats(const float* from, std::size_t n, float* to) {
    simd::f32x4 zero = simd::splat(0.0f);  // Σ (v − v): stays 0 while every value is finite
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const simd::f32x4 v = simd::load(from + i);
        simd::store(to + i, v);
        zero += v - v;
    }
    float rest = 0.0f;
    for (; i < n; ++i) {
        to[i] = from[i];
        rest += from[i] - from[i];
    }
    return zero[0] + zero[1] + zero[2] + zero[3] + rest == 0.0f;
}

}  // namespace bplab::kernels
