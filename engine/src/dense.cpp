#include "bplab/dense.hpp"

#include <cmath>

#include "kernels/kernels.hpp"

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
        case Init::zero:
            layer.weights.fill(0.0);
            break;
    }
    layer.biases.fill(bias);
}

LayerTrace make_trace(std::size_t inputs, std::size_t units, std::size_t capacity) {
    LayerTrace t;
    for (const TraceArray& array : trace_arrays) {
        if (array.shape == TraceShape::per_sample) t.*array.matrix = xt::zeros<double>({capacity, units});
        if (array.shape == TraceShape::weights) t.*array.matrix = xt::zeros<double>({units, inputs});
        if (array.shape == TraceShape::biases) t.*array.vector = xt::zeros<double>({units});
    }
    return t;
}

void dense_forward(const DenseLayer& layer, const double* x, std::size_t rows, double* z) {
    kernels::matvec(layer.weights.data(), layer.biases.data(), layer.units(), layer.inputs(), x, rows, z);
}

std::vector<double> sample_weight_gradient(const LayerTrace& t, const double* a_in, std::size_t inputs,
                                           std::size_t row) {
    const std::size_t units = t.downstream_grad.shape()[1];
    const double* down = t.downstream_grad.data() + row * units;
    std::vector<double> dw(units * inputs);
    for (std::size_t j = 0; j < units; ++j)
        for (std::size_t i = 0; i < inputs; ++i) dw[j * inputs + i] = down[j] * a_in[i];  // ∂ℓ/∂z_j · a_i
    return dw;
}

double gradient_size(const LayerTrace& t) {
    double sum = 0.0;
    for (double g : t.weight_grad) sum += std::abs(g);
    return sum / static_cast<double>(t.weight_grad.size());  // the mean of |∂L/∂W|
}

}  // namespace bplab
