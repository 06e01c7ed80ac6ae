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

void dense_forward(const DenseLayer& layer, const double* x, std::size_t rows, double* z) {
    const std::size_t in = layer.inputs();
    const std::size_t out = layer.units();
    const double* w = layer.weights.data();
    const double* b = layer.biases.data();
    for (std::size_t r = 0; r < rows; ++r) {
        const double* xr = x + r * in;
        double* zr = z + r * out;
        for (std::size_t j = 0; j < out; ++j) {
            const double* wj = w + j * in;
            double sum = b[j];
            for (std::size_t i = 0; i < in; ++i) sum += wj[i] * xr[i];
            zr[j] = sum;
        }
    }
}

namespace {

// Units j0 … j0 + N - 1 for points p … p + 3: 2N accumulators stay in registers
// while the inputs stream past once.
template <std::size_t N>
void dense_columns_tile(const double* w, const double* b, std::size_t in, std::size_t j0,
                        const double* x, std::size_t x_stride, std::size_t p, double* z,
                        std::size_t z_stride) {
    using namespace simd;
    f64x2 lo[N], hi[N];
    for (std::size_t u = 0; u < N; ++u) lo[u] = hi[u] = splat(b[j0 + u]);
    for (std::size_t i = 0; i < in; ++i) {
        const f64x2 x_lo = load(x + i * x_stride + p);
        const f64x2 x_hi = load(x + i * x_stride + p + 2);
        for (std::size_t u = 0; u < N; ++u) {
            const f64x2 wji = splat(w[(j0 + u) * in + i]);
            lo[u] += wji * x_lo;
            hi[u] += wji * x_hi;
        }
    }
    for (std::size_t u = 0; u < N; ++u) {
        store(z + (j0 + u) * z_stride + p, lo[u]);
        store(z + (j0 + u) * z_stride + p + 2, hi[u]);
    }
}

}  // namespace

void dense_forward_columns(const DenseLayer& layer, const double* x, std::size_t x_stride,
                           std::size_t points, double* z, std::size_t z_stride) {
    const std::size_t in = layer.inputs();
    const std::size_t out = layer.units();
    const double* w = layer.weights.data();
    const double* b = layer.biases.data();
    for (std::size_t p = 0; p < points; p += column_lanes) {
        std::size_t j = 0;
        for (; j + 4 <= out; j += 4) dense_columns_tile<4>(w, b, in, j, x, x_stride, p, z, z_stride);
        for (; j < out; ++j) dense_columns_tile<1>(w, b, in, j, x, x_stride, p, z, z_stride);
    }
}

}  // namespace bplab
