#include "bplab/grid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "bplab/errors.hpp"
#include "bplab/features.hpp"
#include "bplab/losses.hpp"
#include "kernels/kernels.hpp"

namespace bplab {
using kernels::column_block;
namespace {

std::size_t round_up(std::size_t n, std::size_t multiple) { return (n + multiple - 1) / multiple * multiple; }

// a = f(z) for `units` rows of `points` values, stored by column. Softmax
// runs across the units of each point, so its column is gathered first.
void activate_columns(const ActivationSpec& f, const double* z, double* a, std::size_t units, std::size_t points,
                      std::vector<double>& scratch) {
    if (f.kind != Activation::softmax) {
        for (std::size_t j = 0; j < units; ++j)
            activate_rows(f, z + j * column_block, a + j * column_block, 1, points);
        return;
    }
    scratch.resize(2 * units);
    double* zp = scratch.data();
    double* ap = zp + units;
    for (std::size_t p = 0; p < points; ++p) {
        for (std::size_t j = 0; j < units; ++j) zp[j] = z[j * column_block + p];
        softmax_row(zp, ap, units);
        for (std::size_t j = 0; j < units; ++j) a[j * column_block + p] = ap[j];
    }
}

// The same in float, four points at a time (points a multiple of 4).
void activate_columns(const ActivationSpec& f, const float* z, float* a, std::size_t units, std::size_t points) {
    if (f.kind != Activation::softmax) {
        for (std::size_t j = 0; j < units; ++j)
            kernels::activate_block(f, z + j * column_block, a + j * column_block, points);
        return;
    }
    for (std::size_t p = 0; p < points; p += 4) kernels::softmax_lanes(z + p, a + p, units, column_block);
}

// rows × cols row-major from a block stored by column.
void columns_to_rows(const double* columns, std::size_t rows, std::size_t cols, double* out) {
    for (std::size_t j = 0; j < cols; ++j)
        for (std::size_t r = 0; r < rows; ++r) out[r * cols + j] = columns[j * column_block + r];
}

void check_grid(const GridSpec& g) {
    if (g.res < 1 || g.res > Limits::max_grid)
        throw LabError("invalid_argument", "res",
                       "res is " + std::to_string(g.res) + "; allowed: 1 to " + std::to_string(Limits::max_grid));
    if (!std::isfinite(g.x_min) || !std::isfinite(g.x_max) || !(g.x_min < g.x_max))
        throw LabError("invalid_argument", "xMin",
                       "the x range is " + describe(g.x_min) + " … " + describe(g.x_max) +
                           "; allowed: finite numbers with xMin < xMax");
    if (!std::isfinite(g.y_min) || !std::isfinite(g.y_max) || !(g.y_min < g.y_max))
        throw LabError("invalid_argument", "yMin",
                       "the y range is " + describe(g.y_min) + " … " + describe(g.y_max) +
                           "; allowed: finite numbers with yMin < yMax");
}

}  // namespace

// Points start … start + count (at most a block) of n × in `inputs` into block_inputs_, by column.
void Grid::load_block(const double* inputs, std::size_t in, std::size_t start, std::size_t count) {
    block_inputs_.assign(in * column_block, 0.0);  // lanes past the last point stay finite
    for (std::size_t p = 0; p < count; ++p)
        for (std::size_t i = 0; i < in; ++i) block_inputs_[i * column_block + p] = inputs[(start + p) * in + i];
}

// Points start … start + count (at most a block) of `inputs` through the network in double:
// the output layer's z and a into rows_z_ and rows_a_, row-major.
void Grid::output_rows(const Network& net, const double* inputs, std::size_t start, std::size_t count) {
    const std::size_t out = net.outputs(), last = net.size() - 1;
    rows_z_.resize(column_block * out);
    rows_a_.resize(column_block * out);
    z_.resize(column_block * net.widest());
    a_.resize(2 * column_block * net.widest());  // this layer's a, and the previous layer's
    load_block(inputs, net.inputs(), start, count);
    forward_block(
        net, block_inputs_.data(), round_up(count, kernels::column_lanes), z_.data(), a_.data(),
        [&](const DenseLayer& layer, double* z, double* a, std::size_t lanes) {
            activate_columns(layer.activation, z, a, layer.units(), lanes, softmax_scratch_);
        },
        [&](std::size_t l, const double* z, const double* a) {
            if (l != last) return;
            columns_to_rows(z, count, out, rows_z_.data());
            columns_to_rows(a, count, out, rows_a_.data());
        });
}

std::vector<double> Grid::predict(const Network& net, const double* inputs, std::size_t n) {
    const std::size_t out = net.outputs();
    std::vector<double> result(n * out);
    for (std::size_t start = 0; start < n; start += column_block) {
        const std::size_t count = std::min(column_block, n - start);
        output_rows(net, inputs, start, count);
        std::copy_n(rows_a_.data(), count * out, result.data() + start * out);
    }
    return result;
}

void Grid::evaluate(const Network& net, const TrainerConfig& config, const Split& split, double& loss,
                    double& accuracy) {
    const std::size_t n = split.size(), out = net.outputs();
    loss = accuracy = std::numeric_limits<double>::quiet_NaN();
    if (n == 0) return;
    const bool classify = config.classification();
    const double middle = class_middle(config);
    double loss_sum = 0.0;
    std::size_t correct = 0;
    for (std::size_t start = 0; start < n; start += column_block) {
        const std::size_t count = std::min(column_block, n - start);
        output_rows(net, split.inputs.data(), start, count);
        for (std::size_t r = 0; r < count; ++r) {
            const double* y = split.targets.data() + (start + r) * out;
            const double *z = rows_z_.data() + r * out, *a = rows_a_.data() + r * out;
            loss_sum += sample_loss(config.loss, z, a, y, out);
            if (classify && same_class(middle, out, a, y)) correct += 1;
        }
    }
    loss = loss_sum / static_cast<double>(n);
    if (classify) accuracy = static_cast<double>(correct) / static_cast<double>(n);
}

std::vector<std::size_t> Grid::dead_units(const Network& net, const Split& split) {
    std::vector<std::vector<bool>> alive(net.size());
    for (std::size_t l = 0; l < net.size(); ++l) alive[l].assign(net.layers[l].units(), false);
    z_.resize(column_block * net.widest());
    a_.resize(2 * column_block * net.widest());
    for (std::size_t start = 0; start < split.size(); start += column_block) {
        const std::size_t count = std::min(column_block, split.size() - start);
        load_block(split.inputs.data(), net.inputs(), start, count);
        forward_block(
            net, block_inputs_.data(), round_up(count, kernels::column_lanes), z_.data(), a_.data(),
            [&](const DenseLayer& layer, double* z, double* a, std::size_t lanes) {
                activate_columns(layer.activation, z, a, layer.units(), lanes, softmax_scratch_);
            },
            [&](std::size_t l, const double*, const double* a) {
                for (std::size_t j = 0; j < alive[l].size(); ++j)
                    for (std::size_t p = 0; p < count && !alive[l][j]; ++p)
                        if (a[j * column_block + p] != 0.0) alive[l][j] = true;
            });
    }
    std::vector<std::size_t> dead(net.size());
    for (std::size_t l = 0; l < net.size(); ++l)
        dead[l] = static_cast<std::size_t>(std::count(alive[l].begin(), alive[l].end(), false));
    return dead;
}

// The grid in float (float32 is all a heatmap needs, and twice the lanes):
// block by block, each layer's a copied into its neurons' maps.
const std::vector<float>& Grid::heatmaps(const Network& net, const TrainerConfig& config, const GridSpec& grid) {
    make_inputs(config, grid);  // fills grid_inputs_
    maps_finite_ = true;
    const std::size_t cells = grid.res * grid.res, in = net.inputs();
    heatmap_.resize(net.neurons() * cells);
    grid_z_.resize(column_block * net.widest());
    grid_a_.resize(2 * column_block * net.widest());  // this layer's a, and the previous layer's
    for (std::size_t start = 0; start < cells; start += column_block) {
        const std::size_t count = std::min(column_block, cells - start);
        std::size_t first_neuron = 0;  // of the layer just computed
        forward_block(
            net, grid_inputs_.data() + start * in, round_up(count, kernels::column_lanes_float), grid_z_.data(),
            grid_a_.data(),
            [](const DenseLayer& layer, float* z, float* a, std::size_t lanes) {
                activate_columns(layer.activation, z, a, layer.units(), lanes);
            },
            [&](std::size_t l, const float*, const float* a) {
                const std::size_t units = net.sizes[l + 1];
                for (std::size_t j = 0; j < units; ++j)
                    maps_finite_ &= kernels::copy_floats(a + j * column_block, count,
                                                   heatmap_.data() + (first_neuron + j) * cells + start);
                first_neuron += units;
            });
    }
    return heatmap_;
}

const std::vector<float>& Grid::input_heatmaps(const TrainerConfig& config, const GridSpec& grid) {
    make_inputs(config, grid);
    return input_heatmap_;
}

void Grid::make_inputs(const TrainerConfig& config, const GridSpec& grid) {
    check_grid(grid);
    if (config.point_size() != 2)
        throw LabError("not_a_plane", "inputs", "heatmaps need points on the (x1, x2) plane: inputs 2, or features");
    const std::array<double, 5> made_for{static_cast<double>(grid.res), grid.x_min, grid.x_max, grid.y_min, grid.y_max};
    if (made_for == made_for_) return;
    const std::size_t res = grid.res, cells = res * res, in = config.input_size();
    // Block after block (column_block cells each), by column; the last block's spare lanes stay 0.
    grid_inputs_.assign(round_up(cells, column_block) * in, 0.0f);
    input_heatmap_.resize(cells * in);
    const double dx = (grid.x_max - grid.x_min) / static_cast<double>(res);
    const double dy = (grid.y_max - grid.y_min) / static_cast<double>(res);
    double xi[Limits::max_inputs];
    for (std::size_t row = 0; row < res; ++row) {
        const double y = grid.y_max - (static_cast<double>(row) + 0.5) * dy;
        for (std::size_t col = 0; col < res; ++col) {
            const double x = grid.x_min + (static_cast<double>(col) + 0.5) * dx;
            const std::size_t cell = row * res + col;
            if (config.features.empty()) {
                xi[0] = x;
                xi[1] = y;
            } else {
                compute_features(config.features, x, y, xi);
            }
            float* block = grid_inputs_.data() + (cell / column_block) * column_block * in;
            for (std::size_t k = 0; k < in; ++k) {
                block[k * column_block + cell % column_block] = static_cast<float>(xi[k]);
                input_heatmap_[k * cells + cell] = static_cast<float>(xi[k]);
            }
        }
    }
    made_for_ = made_for;
    inputs_finite_ = kernels::all_finite(input_heatmap_.data(), input_heatmap_.size());
}

void Grid::require_finite(bool inputs_only) const {
    if (inputs_only ? inputs_finite_ : maps_finite_) return;
    if (inputs_finite_)
        throw LabError("diverged", "weights",
                       "weights: with these weights the neurons' outputs over this plane are too large for the "
                       "float32 maps (they overflow to infinity or NaN); allowed: smaller weights (reset the "
                       "network, or lower optimizer.lr and train again)");
    static const char* const names[] = {"xMin", "xMax", "yMin", "yMax"};
    std::size_t far = 1;  // made_for_ is res, then the four bounds
    for (std::size_t k = 2; k < 5; ++k)
        if (std::abs(made_for_[k]) > std::abs(made_for_[far])) far = k;
    throw LabError("out_of_range", names[far - 1],
                   std::string(names[far - 1]) + " is " + describe(made_for_[far]) +
                       ": the inputs over this plane are too large for the float32 maps; allowed: a plane whose "
                       "features are finite in float32 (|x|, |y| well below 1e19)");
}

}  // namespace bplab
