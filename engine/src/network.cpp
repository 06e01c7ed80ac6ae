#include "bplab/network.hpp"

#include <algorithm>
#include <numeric>

namespace bplab {

std::size_t Network::widest() const { return *std::max_element(sizes.begin() + 1, sizes.end()); }

std::size_t Network::neurons() const { return std::accumulate(sizes.begin() + 1, sizes.end(), std::size_t{0}); }

Network make_network(const TrainerConfig& config, Rng& init_rng) {
    Network net;
    net.sizes.push_back(config.input_size());
    for (const LayerSpec& spec : config.layers) {
        DenseLayer layer = make_layer(net.sizes.back(), spec.units, spec.activation);
        init_layer(layer, config.init, init_rng);
        net.layers.push_back(std::move(layer));
        net.sizes.push_back(spec.units);
    }
    return net;
}

}  // namespace bplab
