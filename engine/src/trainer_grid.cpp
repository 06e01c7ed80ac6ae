// Running the network over many points at once: predict, evaluate, and the
// heatmap grid, in blocks of points stored by column.
#include "bplab/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "bplab/errors.hpp"
#include "bplab/features.hpp"
#include "bplab/losses.hpp"
#include "kernels/kernels.hpp"
#include "trainer_detail.hpp"

namespace bplab {
using namespace detail;
using namespace kernels;
namespace {

// a = f(z) for `units` rows of `points` values, stored by column. Softmax
// runs across the units of each point, so its column is gathered first.
void activate_columns(const ActivationSpec& f, const double* z, double* a, std::size_t units,
                      std::size_t points, std::vector<double>& scratch) {
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
void activate_columns(const ActivationSpec& f, const float* z, float* a, std::size_t units,
                      std::size_t points) {
    if (f.kind != Activation::softmax) {
        for (std::size_t j = 0; j < units; ++j)
            activate_block(f, z + j * column_block, a + j * column_block, points);
        return;
    }
    for (std::size_t p = 0; p < points; p += 4) softmax_lanes(z + p, a + p, units, column_block);
}

// rows × cols row-major from a block stored by column.
void columns_to_rows(const double* columns, std::size_t rows, std::size_t cols, double* out) {
    for (std::size_t j = 0; j < cols; ++j)
        for (std::size_t r = 0; r < rows; ++r) out[r * cols + j] = columns[j * column_block + r];
}

// Runs every layer over one block of `lanes` points stored by column, in the number type T
// (double to evaluate, float for heatmaps): z into z, each layer's a into one half of
// a_buffer (2 × column_block × widest) while the other half holds the layer below, then
// visit(l, z, a).
template <class T, class Activate, class Visit>
void run_block(const std::vector<DenseLayer>& layers, const T* x, std::size_t lanes, std::size_t widest, T* z,
               T* a_buffer, Activate activate, Visit visit) {
    T* a = a_buffer;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const DenseLayer& layer = layers[l];
        matvec_columns(layer.weights.data(), layer.biases.data(), layer.units(), layer.inputs(), x, lanes, z);
        activate(layer, z, a, lanes);
        visit(l, static_cast<const T*>(z), static_cast<const T*>(a));
        x = a;
        a = (a == a_buffer) ? a_buffer + column_block * widest : a_buffer;
    }
}

}  // namespace

std::vector<double> Trainer::predict(const double* x, std::size_t n) {
    const std::size_t point = config_.point_size(), out = config_.output_size();
    if (n > Limits::max_points || n * out > Limits::max_results)
        throw LabError("invalid_argument", "n",
                       "n is " + std::to_string(n) + "; allowed: at most " +
                           std::to_string(std::min(Limits::max_points, Limits::max_results / out)) +
                           " points per call");
    require_finite(x, n * point, "x");
    Split split;
    prepare_split(std::vector<double>(x, x + n * point), {}, n, split);
    std::vector<double> result(n * out);
    forward_rows(split.inputs.data(), n, [&](std::size_t start, std::size_t rows, const double*, const double* a) {
        std::copy_n(a, rows * out, result.data() + start * out);
    });
    return result;
}

// ---- evaluation over many points ---------------------------------------------------

template <class Visit>
void Trainer::forward_columns(const double* x, std::size_t points, Visit visit) {
    const std::size_t widest = *std::max_element(sizes_.begin() + 1, sizes_.end());
    scratch_z_.resize(column_block * widest);
    scratch_a_.resize(2 * column_block * widest);  // this layer's a, and the previous layer's
    run_block(state_.layers, x, round_up(points, column_lanes), widest, scratch_z_.data(), scratch_a_.data(),
              [&](const DenseLayer& layer, double* z, double* a, std::size_t lanes) {
                  activate_columns(layer.activation, z, a, layer.units(), lanes, softmax_scratch_);
              },
              visit);
}

template <class Visit>
void Trainer::forward_rows(const double* inputs, std::size_t rows, Visit visit) {
    const std::size_t in = sizes_.front(), out = sizes_.back(), last = layer_count() - 1;
    block_inputs_.assign(in * column_block, 0.0);  // lanes past the last point stay finite
    rows_z_.resize(column_block * out);
    rows_a_.resize(column_block * out);
    for (std::size_t start = 0; start < rows; start += column_block) {
        const std::size_t count = std::min(column_block, rows - start);
        for (std::size_t p = 0; p < count; ++p)
            for (std::size_t i = 0; i < in; ++i)
                block_inputs_[i * column_block + p] = inputs[(start + p) * in + i];
        forward_columns(block_inputs_.data(), count, [&](std::size_t l, const double* z, const double* a) {
            if (l != last) return;
            columns_to_rows(z, count, out, rows_z_.data());
            columns_to_rows(a, count, out, rows_a_.data());
            visit(start, count, static_cast<const double*>(rows_z_.data()), static_cast<const double*>(rows_a_.data()));
        });
    }
}

void Trainer::evaluate_split(const Split& split, double& loss, double& accuracy) {
    const std::size_t n = split.size(), out = sizes_.back();
    loss = accuracy = std::numeric_limits<double>::quiet_NaN();
    if (n == 0) return;
    const bool classify = config_.classification();
    const double mid = (target_low(config_) + 1.0) / 2.0;
    double loss_sum = 0.0;
    std::size_t correct = 0;
    forward_rows(split.inputs.data(), n,
                 [&](std::size_t start, std::size_t rows, const double* z, const double* a) {
                     for (std::size_t r = 0; r < rows; ++r) {
                         const double* y = split.targets.data() + (start + r) * out;
                         loss_sum += sample_loss(config_.loss, z + r * out, a + r * out, y, out);
                         if (!classify) continue;
                         const bool right = out == 1 ? (a[r] > mid) == (y[0] > mid)
                                                     : argmax(a + r * out, out) == argmax(y, out);
                         correct += right ? 1 : 0;
                     }
                 });
    loss = loss_sum / static_cast<double>(n);
    if (classify) accuracy = static_cast<double>(correct) / static_cast<double>(n);
}

Evaluation Trainer::evaluate() {
    Evaluation e{};
    evaluate_split(train_, e.train_loss, e.train_accuracy);
    evaluate_split(test_, e.test_loss, e.test_accuracy);
    return e;
}

namespace {

void check_grid(std::size_t res, double x_min, double x_max, double y_min, double y_max) {
    if (res < 1 || res > Limits::max_grid)
        throw LabError("invalid_argument", "res",
                       "res is " + std::to_string(res) + "; allowed: 1 to " +
                           std::to_string(Limits::max_grid));
    if (!std::isfinite(x_min) || !std::isfinite(x_max) || !(x_min < x_max))
        throw LabError("invalid_argument", "xMin",
                       "the x range is " + describe(x_min) + " … " + describe(x_max) +
                           "; allowed: finite numbers with xMin < xMax");
    if (!std::isfinite(y_min) || !std::isfinite(y_max) || !(y_min < y_max))
        throw LabError("invalid_argument", "yMin",
                       "the y range is " + describe(y_min) + " … " + describe(y_max) +
                           "; allowed: finite numbers with yMin < yMax");
}

}  // namespace

// The grid in float (float32 is all a heatmap needs, and twice the lanes):
// block by block, each layer's a copied into its neurons' maps.
const std::vector<float>& Trainer::heatmaps(std::size_t res, double x_min, double x_max,
                                            double y_min, double y_max) {
    input_heatmaps(res, x_min, x_max, y_min, y_max);  // fills grid_inputs_
    const std::size_t cells = res * res, in = sizes_.front();
    const std::size_t neurons = std::accumulate(sizes_.begin() + 1, sizes_.end(), std::size_t{0});
    const std::size_t widest = *std::max_element(sizes_.begin() + 1, sizes_.end());
    heatmap_.resize(neurons * cells);
    grid_z_.resize(column_block * widest);
    grid_a_.resize(2 * column_block * widest);  // this layer's a, and the previous layer's
    for (std::size_t start = 0; start < cells; start += column_block) {
        const std::size_t count = std::min(column_block, cells - start);
        const std::size_t lanes = round_up(count, column_lanes_float);
        std::size_t first_neuron = 0;  // of the layer just computed
        run_block(state_.layers, grid_inputs_.data() + start * in, lanes, widest, grid_z_.data(), grid_a_.data(),
                  [](const DenseLayer& layer, float* z, float* a, std::size_t n) {
                      activate_columns(layer.activation, z, a, layer.units(), n);
                  },
                  [&](std::size_t l, const float*, const float* a) {
                      for (std::size_t j = 0; j < sizes_[l + 1]; ++j)
                          copy_floats(a + j * column_block, count, heatmap_.data() + (first_neuron + j) * cells + start);
                      first_neuron += sizes_[l + 1];
                  });
    }
    return heatmap_;
}

const std::vector<float>& Trainer::input_heatmaps(std::size_t res, double x_min, double x_max,
                                                  double y_min, double y_max) {
    check_grid(res, x_min, x_max, y_min, y_max);
    if (config_.point_size() != 2)
        throw LabError("not_a_plane", "inputs",
                       "heatmaps need points on the (x1, x2) plane: inputs 2, or features");
    const std::array<double, 5> grid{static_cast<double>(res), x_min, x_max, y_min, y_max};
    if (grid == grid_made_for_) return input_heatmap_;
    const std::size_t cells = res * res, in = sizes_.front();
    // Block after block (column_block cells each), by column; the last
    // block's spare lanes stay 0.
    grid_inputs_.assign(round_up(cells, column_block) * in, 0.0f);
    input_heatmap_.resize(cells * in);
    const double dx = (x_max - x_min) / static_cast<double>(res);
    const double dy = (y_max - y_min) / static_cast<double>(res);
    double xi[Limits::max_inputs];
    for (std::size_t row = 0; row < res; ++row) {
        const double y = y_max - (static_cast<double>(row) + 0.5) * dy;
        for (std::size_t col = 0; col < res; ++col) {
            const double x = x_min + (static_cast<double>(col) + 0.5) * dx;
            const std::size_t cell = row * res + col;
            if (config_.features.empty()) {
                xi[0] = x;
                xi[1] = y;
            } else {
                compute_features(config_.features, x, y, xi);
            }
            float* block = grid_inputs_.data() + (cell / column_block) * column_block * in;
            for (std::size_t k = 0; k < in; ++k) {
                block[k * column_block + cell % column_block] = static_cast<float>(xi[k]);
                input_heatmap_[k * cells + cell] = static_cast<float>(xi[k]);
            }
        }
    }
    grid_made_for_ = grid;
    return input_heatmap_;
}

}  // namespace bplab
