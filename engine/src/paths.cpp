#include "bplab/paths.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "bplab/errors.hpp"
#include "bplab/limits.hpp"

namespace bplab {

PathDecomposition chain_paths(const TrainingState& state, std::size_t l, std::size_t j, std::size_t i,
                              std::optional<std::size_t> row, std::size_t limit) {
    const std::vector<std::size_t>& sizes = state.network.sizes;
    const std::size_t last = state.network.size() - 1;
    if (j >= sizes[l + 1] || i >= sizes[l])
        throw LabError("out_of_range", "unit",
                       "weight [" + std::to_string(j) + "][" + std::to_string(i) + "] is not in layer " +
                           std::to_string(l) + "; allowed: to 0 … " + std::to_string(sizes[l + 1] - 1) +
                           ", from 0 … " + std::to_string(sizes[l] - 1));
    const BatchWork& w = state.work;
    if (!w.trace[l].backward_done)
        throw LabError("not_ready", "layer",
                       "backward has not reached layer " + std::to_string(l) + " in this batch yet");
    if (row) w.require_row(*row);
    if (limit < 1 || limit > Limits::max_listed_paths)
        throw LabError("invalid_argument", "limit",
                       "limit is " + std::to_string(limit) + "; allowed: 1 to " +
                           std::to_string(Limits::max_listed_paths));
    // Paths × the samples each is averaged over, counted without overflowing size_t (32 bits in wasm).
    const std::size_t samples = row ? 1 : w.rows;
    std::size_t count = 1;
    bool too_many = samples > Limits::max_path_products;
    for (std::size_t m = l + 1; m <= last && !too_many; ++m) {
        too_many = count > Limits::max_path_products / samples / sizes[m + 1];
        count *= sizes[m + 1];
    }
    if (too_many)
        throw LabError("out_of_range", "layer",
                       "too many paths lead from layer " + std::to_string(l) + " to the loss" +
                           (row ? "" : " to average over the batch") + "; allowed: at most " +
                           std::to_string(Limits::max_path_products) +
                           " path products per call (pick one sample, or a layer nearer the output)");

    // The weights the batch's backward pass used.
    auto weight = [&](std::size_t m, std::size_t to, std::size_t from) {
        return batch_parameters(state.network.layers[m], w.trace[m]).weights.data()[to * sizes[m] + from];
    };
    // One sample's factors along a path, in the order of ChainPath.
    auto factors_of = [&](std::size_t r, const std::vector<std::size_t>& units, std::vector<double>& f) {
        f.clear();
        f.push_back(w.input_of(l)[r * sizes[l] + i]);  // a_i
        for (std::size_t m = l; m <= last; ++m) {
            const std::size_t k = units[m - l];
            if (m > l) f.push_back(weight(m, k, units[m - l - 1]));
            const LayerTrace& t = w.trace[m];
            // hidden units pass on f'(z); the output unit hands over dl/dz exactly (softmax and loss included)
            f.push_back(m < last ? t.local_grad.data()[r * sizes[m + 1] + k]
                                 : t.downstream_grad.data()[r * sizes[m + 1] + k]);
        }
    };
    auto product_of = [](const std::vector<double>& f) {
        double p = 1.0;
        for (double x : f) p *= x;
        return p;
    };

    PathDecomposition out;
    out.count = count;
    std::vector<std::size_t> units(last - l + 1, 0);
    units[0] = j;
    std::vector<double> f;
    auto smaller = [](const ChainPath& a, const ChainPath& b) { return std::abs(a.product) > std::abs(b.product); };
    for (std::size_t p = 0; p < count; ++p) {
        // the p-th path, counting in mixed radix over the layers above l
        std::size_t rest = p;
        for (std::size_t m = last; m > l; --m) {
            units[m - l] = rest % sizes[m + 1];
            rest /= sizes[m + 1];
        }
        double product = 0.0;
        if (row) {
            factors_of(*row, units, f);
            product = product_of(f);
        } else {
            for (std::size_t r = 0; r < w.rows; ++r) {
                factors_of(r, units, f);
                product += product_of(f);
            }
            product /= static_cast<double>(w.rows);
        }
        out.sum += product;
        if (out.paths.size() < limit || std::abs(product) > std::abs(out.paths.front().product)) {
            ChainPath path{units, product, row ? f : std::vector<double>{}};
            if (out.paths.size() == limit) {
                std::pop_heap(out.paths.begin(), out.paths.end(), smaller);
                out.paths.back() = std::move(path);
            } else {
                out.paths.push_back(std::move(path));
            }
            std::push_heap(out.paths.begin(), out.paths.end(), smaller);
        }
    }
    std::sort_heap(out.paths.begin(), out.paths.end(), smaller);
    for (const ChainPath& path : out.paths) out.listed_sum += path.product;
    return out;
}

}  // namespace bplab
