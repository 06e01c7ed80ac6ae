#pragma once
// The network: its dense layers in order, layer l taking sizes[l] inputs to
// sizes[l + 1] units, and one forward pass through all of them for a block of
// many points (predicting, evaluating a split, the heatmap grid).
#include <cstddef>
#include <vector>

#include "bplab/config.hpp"
#include "bplab/dense.hpp"
#include "bplab/random.hpp"
#include "kernels/kernels.hpp"

namespace bplab {

struct Network {
    std::vector<DenseLayer> layers;
    std::vector<std::size_t> sizes;  // inputs, then the units of each layer

    std::size_t size() const { return layers.size(); }
    std::size_t inputs() const { return sizes.front(); }
    std::size_t outputs() const { return sizes.back(); }
    std::size_t widest() const;  // the most units of any layer
    std::size_t neurons() const;  // the units of all layers
};

// The layers the config asks for, initialised from init_rng.
Network make_network(const TrainerConfig& config, Rng& init_rng);

// Runs every layer over a block of `lanes` points stored by column
// (kernels::column_block), in the number type T: double to evaluate, float
// for heatmaps. Layer by layer: z = W·a_in + b into z, then activate(layer,
// z, a, lanes) into one half of a_buffer (2 × column_block × widest) while the
// other half holds the layer below, then visit(l, z, a).
template <class T, class Activate, class Visit>
void forward_block(const Network& net, const T* x, std::size_t lanes, T* z, T* a_buffer, Activate activate,
                   Visit visit) {
    T* a = a_buffer;
    for (std::size_t l = 0; l < net.size(); ++l) {
        const DenseLayer& layer = net.layers[l];
        kernels::matvec_columns(layer.weights.data(), layer.biases.data(), layer.units(), layer.inputs(), x, lanes, z);
        activate(layer, z, a, lanes);
        visit(l, static_cast<const T*>(z), static_cast<const T*>(a));
        x = a;
        a = (a == a_buffer) ? a_buffer + kernels::column_block * net.widest() : a_buffer;
    }
}

}  // namespace bplab
