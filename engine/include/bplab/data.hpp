#pragma once
// The data a trainer learns from: each split's points as supplied, the
// network inputs computed from them (the features) and the targets the loss
// compares against.
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

// Whether an output row a names the class of target row y (one output: the
// same side of the middle between the low and high target; more: the argmax).
bool same_class(const TrainerConfig& config, const double* a, const double* y);

}  // namespace bplab
