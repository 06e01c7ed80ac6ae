#include "bplab/config.hpp"

#include <cmath>
#include <cstdio>

namespace bplab {
namespace {

class Checker {
public:
    explicit Checker(std::vector<ConfigProblem>& out) : out_(out) {}

    void fail(const std::string& field, const std::string& value, const std::string& allowed) {
        out_.push_back({field, value, allowed});
    }
    // lo < x <= hi, or lo <= x <= hi when closed_low.
    void range(const std::string& field, double x, double lo, double hi, bool closed_low,
               const std::string& allowed) {
        const bool low_ok = closed_low ? x >= lo : x > lo;
        if (!std::isfinite(x) || !low_ok || x > hi) fail(field, describe(x), allowed);
    }
    // 0 <= x < 1: momentum, smoothing constants, betas.
    void fraction(const std::string& field, double x) {
        if (!std::isfinite(x) || x < 0.0 || x >= 1.0)
            fail(field, describe(x), "a number from 0 to below 1");
    }
    void count(const std::string& field, std::size_t x, std::size_t lo, std::size_t hi) {
        if (x < lo || x > hi)
            fail(field, std::to_string(x),
                 "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    }

private:
    std::vector<ConfigProblem>& out_;
};

void check_layers(const TrainerConfig& c, Checker& check) {
    if (c.layers.empty()) {
        check.fail("layers", "empty", "at least one layer (the output layer)");
        return;
    }
    check.count("layers.length", c.layers.size(), 1, Limits::max_layers);
    for (std::size_t l = 0; l < c.layers.size(); ++l) {
        const auto& layer = c.layers[l];
        const std::string at = "layers[" + std::to_string(l) + "]";
        check.count(at + ".units", layer.units, 1, Limits::max_units);
        const bool output = l + 1 == c.layers.size();
        const Activation kind = layer.activation.kind;
        if (kind == Activation::softmax && !output)
            check.fail(at + ".activation", "'softmax'", "softmax only on the output layer");
        if (kind == Activation::softmax && output && layer.units < 2)
            check.fail(at + ".units", std::to_string(layer.units), "at least 2 units for softmax");
        if (kind == Activation::leaky_relu)
            check.range(at + ".alpha", layer.activation.alpha, 0.0, 1.0, true,
                        "a number from 0 to 1");
        if (kind == Activation::elu)
            check.range(at + ".alpha", layer.activation.alpha, 0.0, 10.0, false,
                        "a number above 0, at most 10");
    }
}

void check_loss(const TrainerConfig& c, Checker& check) {
    if (c.layers.empty()) return;
    const Activation out = c.layers.back().activation.kind;
    if (!loss_accepts_output(c.loss, out)) {
        const std::string need = c.loss == Loss::bce ? "'sigmoid'" : "'softmax'";
        check.fail("loss", "'" + std::string(to_name(loss_names, c.loss)) + "' with a '" +
                               std::string(to_name(activation_names, out)) + "' output layer",
                   "'" + std::string(to_name(loss_names, c.loss)) + "' needs a " + need +
                       " output layer; 'mse' works with any");
    }
    if (c.dataset && is_regression(c.dataset->kind) && c.loss != Loss::mse)
        check.fail("loss", "'" + std::string(to_name(loss_names, c.loss)) + "' on a regression dataset",
                   "'mse' for regression");
}

void check_optimizer(const OptimizerConfig& o, Checker& check) {
    check.range("optimizer.lr", o.lr, 0.0, Limits::max_lr, false,
                "a number above 0, at most " + describe(Limits::max_lr));
    check.range("optimizer.weightDecay", o.weight_decay, 0.0, 1.0, true, "a number from 0 to 1");
    switch (o.kind) {
        case OptimizerKind::sgd:
        case OptimizerKind::momentum:
        case OptimizerKind::nesterov:
            check.fraction("optimizer.momentum", o.momentum);
            check.range("optimizer.dampening", o.dampening, 0.0, 1.0, true, "a number from 0 to 1");
            if (o.nesterov && (o.momentum <= 0.0 || o.dampening != 0.0))
                check.fail("optimizer.nesterov", "true with momentum " + describe(o.momentum) +
                                                     " and dampening " + describe(o.dampening),
                           "momentum above 0 and dampening 0 (as torch requires)");
            break;
        case OptimizerKind::adagrad:
            check.range("optimizer.lrDecay", o.lr_decay, 0.0, 1.0, true, "a number from 0 to 1");
            check.range("optimizer.initialAccumulatorValue", o.initial_accumulator_value, 0.0, 1e6,
                        true, "a number from 0 to 1e6");
            break;
        case OptimizerKind::rmsprop:
            check.fraction("optimizer.alpha", o.alpha);
            check.fraction("optimizer.momentum", o.momentum);
            break;
        case OptimizerKind::adam:
        case OptimizerKind::adamw:
            check.fraction("optimizer.beta1", o.beta1);
            check.fraction("optimizer.beta2", o.beta2);
            break;
    }
    check.range("optimizer.eps", o.eps, 0.0, 1.0, false, "a number above 0, at most 1");
}

void check_schedule(const ScheduleConfig& s, double lr, Checker& check) {
    switch (s.kind) {
        case ScheduleKind::constant: break;
        case ScheduleKind::step:
            check.count("schedule.stepSize", s.step_size, 1, 100000);
            check.range("schedule.gamma", s.gamma, 0.0, 1.0, false, "a number above 0, at most 1");
            break;
        case ScheduleKind::exponential:
            check.range("schedule.gamma", s.gamma, 0.0, 1.0, false, "a number above 0, at most 1");
            break;
        case ScheduleKind::cosine:
            check.count("schedule.tMax", s.t_max, 1, 100000);
            check.range("schedule.etaMin", s.eta_min, 0.0, lr, true,
                        "a number from 0 to the learning rate (" + describe(lr) + ")");
            break;
        case ScheduleKind::plateau:
            if (!std::isfinite(s.factor) || s.factor <= 0.0 || s.factor >= 1.0)
                check.fail("schedule.factor", describe(s.factor), "a number above 0, below 1");
            check.count("schedule.patience", s.patience, 0, 100000);
            check.count("schedule.cooldown", s.cooldown, 0, 100000);
            check.range("schedule.threshold", s.threshold, 0.0, 1.0, true, "a number from 0 to 1");
            check.range("schedule.minLr", s.min_lr, 0.0, lr, true,
                        "a number from 0 to the learning rate (" + describe(lr) + ")");
            break;
    }
}

void check_data(const TrainerConfig& c, Checker& check) {
    if (c.features.empty()) {
        check.count("inputs", c.inputs, 1, Limits::max_inputs);
    } else {
        for (std::size_t i = 0; i < c.features.size(); ++i)
            for (std::size_t j = 0; j < i; ++j)
                if (c.features[i] == c.features[j])
                    check.fail("features[" + std::to_string(i) + "]",
                               "'" + std::string(to_name(feature_names, c.features[i])) + "' again",
                               "each feature once");
    }
    check.count("batchSize", c.batch_size, 1, Limits::max_batch);
    if (!c.dataset) return;
    const DatasetConfig& d = *c.dataset;
    check.count("dataset.samples", d.samples, 2, Limits::max_samples);
    check.range("dataset.noise", d.noise, 0.0, 1.0, true, "a number from 0 to 1");
    check.range("dataset.trainRatio", d.train_ratio, 0.0, 1.0, false, "a number above 0, at most 1");
    if (std::isfinite(d.train_ratio) && d.train_ratio > 0.0 &&
        std::floor(d.samples * d.train_ratio) < 1.0)
        check.fail("dataset.trainRatio", describe(d.train_ratio),
                   "a ratio that leaves at least one training sample");
    if (takes_classes(d.kind)) {
        check.count("dataset.classes", d.classes, 2, 5);
    } else if (d.classes != 2) {
        check.fail("dataset.classes", std::to_string(d.classes),
                   "2 for this dataset; 'spiral' and 'blobs' take 2 to 5");
    }
    if (c.point_size() != 2)
        check.fail("inputs", std::to_string(c.inputs),
                   "2 (the plane's x1 and x2) or a features list, with a dataset");
    if (c.layers.empty()) return;
    const std::size_t out = c.output_size();
    const std::string out_field = "layers[" + std::to_string(c.layers.size() - 1) + "].units";
    if (is_regression(d.kind)) {
        if (out != 1) check.fail(out_field, std::to_string(out), "1 output for regression");
    } else {
        const std::size_t classes = takes_classes(d.kind) ? d.classes : 2;
        if (out != classes && !(out == 1 && classes == 2))
            check.fail(out_field, std::to_string(out),
                       std::to_string(classes) + " outputs (one per class)" +
                           (classes == 2 ? " or 1 for two classes" : ""));
    }
}

}  // namespace

std::string describe(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
    char text[32];
    std::snprintf(text, sizeof text, "%.12g", value);
    return text;
}

std::vector<ConfigProblem> validate(const TrainerConfig& c) {
    std::vector<ConfigProblem> problems;
    Checker check(problems);
    check_layers(c, check);
    check_loss(c, check);
    check_optimizer(c.optimizer, check);
    check_schedule(c.schedule, c.optimizer.lr, check);
    if (c.regularization.kind != Penalty::none)
        check.range("regularization.rate", c.regularization.rate, 0.0, 10.0, true,
                    "a number from 0 to 10");
    check_data(c, check);
    return problems;
}

}  // namespace bplab
