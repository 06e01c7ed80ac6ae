#include "bplab/network.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "bplab/simd.hpp"

namespace bplab {

DenseLayer make_layer(std::size_t inputs, std::size_t units, ActivationSpec activation) {
    DenseLayer layer;
    layer.weights = xt::zeros<double>({units, inputs});
    layer.biases = xt::zeros<double>({units});
    layer.activation = activation;
    return layer;
}

void init_layer(DenseLayer& layer, Init init, Rng& rng) {
    const double fan_in = static_cast<double>(layer.inputs());
    const double fan_out = static_cast<double>(layer.units());
    double bias = 0.0;
    switch (init) {
        case Init::xavier: {
            const double bound = std::sqrt(6.0 / (fan_in + fan_out));
            for (double& w : layer.weights) w = rng.uniform(-bound, bound);
            break;
        }
        case Init::he: {
            const double stddev = std::sqrt(2.0 / fan_in);
            for (double& w : layer.weights) w = rng.normal(0.0, stddev);
            break;
        }
        case Init::uniform:
            for (double& w : layer.weights) w = rng.uniform(-0.5, 0.5);
            bias = 0.1;
            break;
    }
    layer.biases.fill(bias);
}

namespace {

// One unit's z for every row: b, then input 0, 1, … added in order.
void dense_unit_rows(const double* wj, double bj, std::size_t in, const double* x, std::size_t rows,
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
// run in the same order as dense_unit_rows.
template <std::size_t IN>
void dense_rows(const DenseLayer& layer, const double* x, std::size_t rows, double* z) {
    using namespace simd;
    const std::size_t out = layer.units();
    const double* w = layer.weights.data();
    const double* b = layer.biases.data();
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
    if (j < out) dense_unit_rows(w + j * IN, b[j], IN, x, rows, out, z + j);
}

}  // namespace

void dense_forward(const DenseLayer& layer, const double* x, std::size_t rows, double* z) {
    switch (layer.inputs()) {
        case 1: return dense_rows<1>(layer, x, rows, z);
        case 2: return dense_rows<2>(layer, x, rows, z);
        case 3: return dense_rows<3>(layer, x, rows, z);
        case 4: return dense_rows<4>(layer, x, rows, z);
        case 5: return dense_rows<5>(layer, x, rows, z);
        case 6: return dense_rows<6>(layer, x, rows, z);
        case 7: return dense_rows<7>(layer, x, rows, z);
        case 8: return dense_rows<8>(layer, x, rows, z);
        default: break;
    }
    const std::size_t in = layer.inputs(), out = layer.units();
    for (std::size_t j = 0; j < out; ++j)
        dense_unit_rows(layer.weights.data() + j * in, layer.biases.data()[j], in, x, rows, out, z + j);
}

namespace {

static_assert(column_block % column_lanes == 0 && column_block % column_lanes_float == 0,
              "a block is whole groups of lanes");

// Points per tile: two vectors of doubles or of floats.
template <class T>
constexpr std::size_t tile_points = std::is_same_v<T, float> ? column_lanes_float : column_lanes;

// Inputs per pass of dense_group: its weights, rearranged, sit on the stack.
constexpr std::size_t packed_inputs = 64;

// Units u < N (weights wt[i * N + u]) for the tile_points points from x and
// z on (four doubles, or eight floats): 2N accumulators stay in registers
// while `inputs` inputs stream past. They start from the biases, or from z
// when an earlier pass covered the inputs before these.
template <class T, std::size_t N>
void dense_tile(const T* wt, std::size_t inputs, const T* x, const T* bias, T* z) {
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
void dense_group(const DenseLayer& layer, std::size_t j0, const T* x, std::size_t points, T* z) {
    const std::size_t in = layer.inputs();
    const double* w = layer.weights.data();
    T wt[N * packed_inputs];
    T bias[N];
    for (std::size_t u = 0; u < N; ++u) bias[u] = static_cast<T>(layer.biases.data()[j0 + u]);
    for (std::size_t i0 = 0; i0 < in; i0 += packed_inputs) {
        const std::size_t count = std::min(packed_inputs, in - i0);
        for (std::size_t i = 0; i < count; ++i)
            for (std::size_t u = 0; u < N; ++u) wt[i * N + u] = static_cast<T>(w[(j0 + u) * in + i0 + i]);
        for (std::size_t p = 0; p < points; p += tile_points<T>)
            dense_tile<T, N>(wt, count, x + i0 * column_block + p, i0 == 0 ? bias : nullptr,
                             z + j0 * column_block + p);
    }
}

template <class T>
void dense_columns(const DenseLayer& layer, const T* x, std::size_t points, T* z) {
    const std::size_t out = layer.units();
    std::size_t j = 0;
    for (; j + 4 <= out; j += 4) dense_group<T, 4>(layer, j, x, points, z);
    for (; j < out; ++j) dense_group<T, 1>(layer, j, x, points, z);
}

}  // namespace

void dense_forward_columns(const DenseLayer& layer, const double* x, std::size_t points, double* z) {
    dense_columns(layer, x, points, z);
}

void dense_forward_columns(const DenseLayer& layer, const float* x, std::size_t points, float* z) {
    dense_columns(layer, x, points, z);
}

}  // namespace bplab
