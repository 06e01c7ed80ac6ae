#pragma once
// The data a trainer learns from: each split's points as supplied, the
// network inputs computed from them (the features) and the targets the loss
// compares against.
#include <algorithm>
#include <cstddef>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "bplab/config.hpp"
#include "bplab/random.hpp"

namespace bplab {

struct Split {
    std::vector<double> points;      // n × point_size
    xt::xtensor<double, 2> inputs;   // n × input_size
    xt::xtensor<double, 2> targets;  // n × output_size
    std::vector<double> labels;      // class index, or the regression value
    std::size_t size() const { return inputs.shape()[0]; }
};

struct Splits {
    Split train, test;
};

// The config's dataset, generated and split with data_rng (empty splits without one).
Splits dataset_splits(const TrainerConfig& config, Rng& data_rng);

// n points the caller gives (x: n × point_size) as a split without targets.
Split point_split(const TrainerConfig& config, const double* x, std::size_t n);

// The caller's data for training: n points and their targets y (n × outputs).
// LabError("invalid_argument") names the first value that is not allowed.
Split caller_split(const TrainerConfig& config, const double* x, const double* y, std::size_t n);

// The middle between a classification target's low value (0, or -1 for a tanh
// output, as in TensorFlow Playground) and its high value 1.
double class_middle(const TrainerConfig& config);

// Whether an output row a names the class of target row y: with one output,
// the same side of the middle; with more, the same largest entry.
inline bool same_class(double middle, std::size_t outputs, const double* a, const double* y) {
    if (outputs == 1) return (a[0] > middle) == (y[0] > middle);
    return std::max_element(a, a + outputs) - a == std::max_element(y, y + outputs) - y;
}

}  // namespace bplab
