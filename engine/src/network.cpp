#include "bplab/network.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

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
    }
    layer.biases.fill(bias);
}

void dense_forward(const DenseLayer& layer, const double* x, std::size_t rows, double* z) {
    kernels::matvec(layer.weights.data(), layer.biases.data(), layer.units(), layer.inputs(), x, rows, z);
}

}  // namespace bplab
