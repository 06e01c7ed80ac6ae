#include "bplab/data.hpp"

#include <algorithm>
#include <string>

#include "bplab/errors.hpp"
#include "bplab/features.hpp"

namespace bplab {
namespace {

// Targets of a classification sample run from low (0, or -1 for a tanh
// output, as in TensorFlow Playground) to 1.
double target_low(const TrainerConfig& c) {
    return c.layers.back().activation.kind == Activation::tanh ? -1.0 : 0.0;
}

std::size_t argmax(const double* x, std::size_t n) {
    return static_cast<std::size_t>(std::max_element(x, x + n) - x);
}

// The split of n points with their inputs (the point itself, or its features)
// and, for a dataset's labels, their targets.
Split make_split(const TrainerConfig& c, std::vector<double> points, std::vector<double> labels, std::size_t n) {
    const std::size_t in = c.input_size(), out = c.output_size();
    Split split;
    split.points = std::move(points);
    split.labels = std::move(labels);
    split.inputs = xt::zeros<double>({n, in});
    split.targets = xt::zeros<double>({n, out});
    for (std::size_t r = 0; r < n; ++r) {
        double* x = split.inputs.data() + r * in;
        if (c.features.empty()) std::copy_n(split.points.data() + r * in, in, x);
        else compute_features(c.features, split.points[2 * r], split.points[2 * r + 1], x);
    }
    if (!c.dataset || split.labels.empty()) return split;
    for (std::size_t r = 0; r < n; ++r) {
        double* y = split.targets.data() + r * out;
        const double label = split.labels[r];
        if (is_regression(c.dataset->kind)) y[0] = label;
        else if (out == 1) y[0] = label == 1.0 ? 1.0 : target_low(c);
        else y[static_cast<std::size_t>(label)] = 1.0;
    }
    return split;
}

}  // namespace

Splits dataset_splits(const TrainerConfig& c, Rng& data_rng) {
    Splits splits;
    if (!c.dataset) {
        splits.train = make_split(c, {}, {}, 0);
        splits.test = make_split(c, {}, {}, 0);
        return splits;
    }
    const Dataset all = generate_dataset(*c.dataset, data_rng);
    Dataset train, test;
    split_dataset(all, c.dataset->train_ratio, data_rng, train, test);
    splits.train = make_split(c, train.points, train.labels, train.size());
    splits.test = make_split(c, test.points, test.labels, test.size());
    return splits;
}

Split point_split(const TrainerConfig& c, const double* x, std::size_t n) {
    return make_split(c, std::vector<double>(x, x + n * c.point_size()), {}, n);
}

Split caller_split(const TrainerConfig& c, const double* x, const double* y, std::size_t n) {
    if (n < 1 || n > Limits::max_samples)
        throw LabError("invalid_argument", "n",
                       "n is " + std::to_string(n) + "; allowed: 1 to " + std::to_string(Limits::max_samples) +
                           " samples");
    const std::size_t point = c.point_size(), out = c.output_size();
    require_finite(x, n * point, "x");
    const auto problems = validate_targets(c.loss, y, n, out, "y");
    // As for x, the field is y and the message names the element.
    if (!problems.empty()) throw LabError("invalid_argument", "y", problems.front().message());

    std::vector<double> labels(n);
    for (std::size_t r = 0; r < n; ++r) {
        const double* yr = y + r * out;
        if (!c.classification()) labels[r] = yr[0];
        else if (out == 1) labels[r] = yr[0] > class_middle(c) ? 1.0 : 0.0;
        else labels[r] = static_cast<double>(argmax(yr, out));
    }
    Split split = make_split(c, std::vector<double>(x, x + n * point), std::move(labels), n);
    std::copy_n(y, n * out, split.targets.data());
    return split;
}

double class_middle(const TrainerConfig& c) { return (target_low(c) + 1.0) / 2.0; }

}  // namespace bplab
