#include "bplab/network.hpp"

#include <cmath>

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

static_assert(column_block % column_lanes == 0, "a block is whole groups of lanes");

// Units j0 … j0 + N - 1 for points p … p + 3: 2N accumulators stay in
// registers while the inputs stream past once. IN > 0 fixes the number of
// inputs at compile time (TensorFlow Playground's sizes: up to 8), so every
// weight and input sits at a constant offset; IN = 0 reads it from `in`.
template <std::size_t N, std::size_t IN>
void dense_tile(const double* w, const double* b, std::size_t in, std::size_t j0, const double* x,
                double* z) {
    using namespace simd;
    const std::size_t inputs = IN ? IN : in;
    const double* wj = w + j0 * inputs;
    f64x2 lo[N], hi[N];
    for (std::size_t u = 0; u < N; ++u) lo[u] = hi[u] = splat(b[j0 + u]);
    for (std::size_t i = 0; i < inputs; ++i) {
        const f64x2 x_lo = load(x + i * column_block);
        const f64x2 x_hi = load(x + i * column_block + 2);
        for (std::size_t u = 0; u < N; ++u) {
            const f64x2 wji = splat(wj[u * inputs + i]);
            lo[u] += wji * x_lo;
            hi[u] += wji * x_hi;
        }
    }
    for (std::size_t u = 0; u < N; ++u) {
        store(z + (j0 + u) * column_block, lo[u]);
        store(z + (j0 + u) * column_block + 2, hi[u]);
    }
}

template <std::size_t IN>
void dense_columns(const DenseLayer& layer, const double* x, std::size_t points, double* z) {
    const std::size_t in = layer.inputs(), out = layer.units();
    const double* w = layer.weights.data();
    const double* b = layer.biases.data();
    for (std::size_t p = 0; p < points; p += column_lanes) {
        std::size_t j = 0;
        for (; j + 4 <= out; j += 4) dense_tile<4, IN>(w, b, in, j, x + p, z + p);
        for (; j < out; ++j) dense_tile<1, IN>(w, b, in, j, x + p, z + p);
    }
}

}  // namespace

void dense_forward_columns(const DenseLayer& layer, const double* x, std::size_t points, double* z) {
    switch (layer.inputs()) {
        case 1: return dense_columns<1>(layer, x, points, z);
        case 2: return dense_columns<2>(layer, x, points, z);
        case 3: return dense_columns<3>(layer, x, points, z);
        case 4: return dense_columns<4>(layer, x, points, z);
        case 5: return dense_columns<5>(layer, x, points, z);
        case 6: return dense_columns<6>(layer, x, points, z);
        case 7: return dense_columns<7>(layer, x, points, z);
        case 8: return dense_columns<8>(layer, x, points, z);
        default: return dense_columns<0>(layer, x, points, z);
    }
}

}  // namespace bplab
