#pragma once
// Running the network over many points at once: predictions, the loss and
// accuracy of a whole split, and every neuron's activation over a grid of the
// (x1, x2) plane for the heatmaps. Points go in blocks stored by column
// (kernels::column_block); the buffers stay from call to call, so a frame
// allocates nothing.
#include <array>
#include <cstddef>
#include <vector>

#include "bplab/config.hpp"
#include "bplab/data.hpp"
#include "bplab/network.hpp"

namespace bplab {

struct Evaluation {
    double train_loss, test_loss;          // NaN for an empty split
    double train_accuracy, test_accuracy;  // NaN for regression or an empty split
};

// A res × res grid over [x_min, x_max] × [y_min, y_max]: rows from y_max
// down, columns from x_min across, each value at its cell's centre.
struct GridSpec {
    std::size_t res;
    double x_min, x_max, y_min, y_max;
};

class Grid {
public:
    // n × outputs for the inputs of n points (n × input_size).
    std::vector<double> predict(const Network& net, const double* inputs, std::size_t n);

    // The mean loss over a split, and the share of its points classified right.
    void evaluate(const Network& net, const TrainerConfig& config, const Split& split, double& loss,
                  double& accuracy);

    // For each layer, how many of its units output exactly 0 for every point of the split: dead
    // units (a ReLU whose z stays below 0). No gradient passes through them, so they stay dead.
    std::vector<std::size_t> dead_units(const Network& net, const Split& split);

    // Every non-input neuron's activation over the grid, neuron after neuron,
    // layer by layer. Computed in float32 (four cells per instruction): within
    // 1e-5 of predict(), and the same float32 numbers in the native and
    // WebAssembly builds. The buffer is reused; it only grows. A value past
    // float32's range is ±inf (or NaN), found while the maps were copied.
    const std::vector<float>& heatmaps(const Network& net, const TrainerConfig& config, const GridSpec& grid);
    // The same grid for the input features (one map per input); whether they are
    // finite is found once, when the grid is made.
    const std::vector<float>& input_heatmaps(const TrainerConfig& config, const GridSpec& grid);
    // Refuses the last maps (of the inputs only, or of every neuron) if a value in them
    // left float32: out_of_range naming the plane's bound farthest from 0 when the
    // plane's own features overflow, else diverged (the network's weights are at fault).
    void require_finite(bool inputs_only) const;

private:
    void load_block(const double* inputs, std::size_t in, std::size_t start, std::size_t count);
    void make_inputs(const TrainerConfig& config, const GridSpec& grid);
    void output_rows(const Network& net, const double* inputs, std::size_t start, std::size_t count);

    std::vector<double> z_, a_;  // a block's z, and the two halves of its a, by column
    std::vector<double> block_inputs_, rows_z_, rows_a_, softmax_scratch_;
    // The grid's inputs, block after block by column, and the grid they were
    // made for: play asks for the same grid every frame.
    std::vector<float> grid_inputs_;
    std::array<double, 5> made_for_{};
    bool inputs_finite_ = true;  // the grid's inputs, in float32
    bool maps_finite_ = true;    // the last heatmaps
    std::vector<float> grid_z_, grid_a_, heatmap_, input_heatmap_;
};

}  // namespace bplab
