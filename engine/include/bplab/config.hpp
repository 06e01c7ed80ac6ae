#pragma once
// Everything a trainer is built from, and the check that lists every problem
// in it at once (field, value, what is allowed) instead of stopping at the first.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bplab/activations.hpp"
#include "bplab/datasets.hpp"
#include "bplab/features.hpp"
#include "bplab/losses.hpp"
#include "bplab/network.hpp"
#include "bplab/optimizers.hpp"
#include "bplab/schedules.hpp"

namespace bplab {

enum class Penalty { none, l1, l2 };

inline constexpr NameTable<Penalty, 3> penalty_names{{
    {"none", Penalty::none},
    {"l1", Penalty::l1},
    {"l2", Penalty::l2},
}};

// L1 adds rate·sign(w) to a weight's gradient, L2 adds rate·w; biases are never penalised.
struct Regularization {
    Penalty kind = Penalty::none;
    double rate = 0.0;
};

struct LayerSpec {
    std::size_t units = 1;
    ActivationSpec activation;
};

// Bounds the validation enforces; the page stays far inside them.
struct Limits {
    static constexpr std::size_t max_layers = 16;
    static constexpr std::size_t max_units = 512;
    static constexpr std::size_t max_inputs = 64;
    static constexpr std::size_t max_samples = 20000;
    static constexpr std::size_t max_batch = 4096;
    static constexpr std::size_t max_grid = 512;
    static constexpr std::size_t max_points = 10 * max_samples;  // one predict call
    static constexpr std::size_t max_values = 1u << 20;          // one array of the lab-level calls
    static constexpr std::size_t max_results = 1u << 24;         // numbers one predict or heatmaps call returns
    static constexpr std::size_t max_epochs = 100000;            // schedule periods
    static constexpr std::size_t max_surface_steps = 100000;     // one optimizer-race descent
    static constexpr std::size_t max_path_products = 1u << 22;   // paths × samples in one chain_paths call
    static constexpr double max_lr = 1000.0;
    static constexpr double max_memory_mb = 384.0;  // what one trainer may need (wasm32 has 2 GB in all)
};

struct TrainerConfig {
    std::uint64_t seed = 1;
    std::size_t inputs = 2;          // used when features is empty
    std::vector<Feature> features;   // when set, data are points (x1, x2) and these are the inputs
    std::vector<LayerSpec> layers;   // hidden layers, then the output layer
    Loss loss = Loss::mse;
    OptimizerConfig optimizer;
    ScheduleConfig schedule;
    Regularization regularization;
    Init init = Init::xavier;
    std::size_t batch_size = 10;
    bool shuffle = true;
    std::optional<DatasetConfig> dataset;  // none: the caller supplies data with set_data

    std::size_t input_size() const { return features.empty() ? inputs : features.size(); }
    // Values per data point: (x1, x2) when features are used, else the inputs themselves.
    std::size_t point_size() const { return features.empty() ? inputs : 2; }
    std::size_t output_size() const { return layers.empty() ? 0 : layers.back().units; }
    // Caller data is classification when the loss or a softmax output says so
    // (MSE on softmax is the course's comparison of squared error with cross-entropy).
    bool classification() const {
        if (dataset) return !is_regression(dataset->kind);
        return loss != Loss::mse || (!layers.empty() && layers.back().activation.kind == Activation::softmax);
    }
};

struct ConfigProblem {
    std::string field;    // "layers[1].activation"
    std::string value;    // what was given, as text
    std::string allowed;  // what would be accepted
    // Other fields the problem was judged with ("loss" against "layers[2].activation"):
    // a reader that could not read one of them knows this problem is a consequence.
    std::vector<std::string> related = {};
    std::string message() const { return field + " is " + value + "; allowed: " + allowed; }
};

// Every problem of the config, at most one per field, each naming what is allowed.
// Every field is range-checked, including those the chosen optimizer, schedule or
// activation does not read, so that no NaN or typo hides in a config.
std::vector<ConfigProblem> validate(const TrainerConfig& config);

// The checks validate() makes of one part, for calls that take only that part
// (the optimizer race, schedule curves). Fields are named as in a trainer's config; the
// rate a schedule is checked against is reported as lr_field.
std::vector<ConfigProblem> validate_optimizer(const OptimizerConfig& optimizer);
std::vector<ConfigProblem> validate_schedule(const ScheduleConfig& schedule, double lr,
                                             const std::string& lr_field = "optimizer.lr");

// Roughly the bytes a trainer built from config holds (parameters, optimizer
// state, both batch buffers, data, and a restore's copy), for refusing
// networks that would not fit in WebAssembly's memory.
double estimated_memory(const TrainerConfig& config);

// The first target the loss cannot learn from, as a problem on `field` ("y[7]"); none if
// all are fine. n rows of k targets: 'bce' needs values from 0 to 1, 'cce' rows of such
// values summing to 1 (one-hot for a class), 'mse' any finite number.
std::vector<ConfigProblem> validate_targets(Loss loss, const double* y, std::size_t n, std::size_t k,
                                            const std::string& field);

// The problem with an activation's alpha (reported as `field`), if any:
// Leaky ReLU's slope is 0…1, ELU's scale above 0 and at most 10, other activations ignore a finite alpha.
std::vector<ConfigProblem> validate_alpha(const ActivationSpec& activation, const std::string& field);

// "3", "0.001", "NaN": a number as a problem report shows it.
std::string describe(double value);

// Throws LabError("invalid_argument", field) naming the first entry of x[0..n)
// that is NaN or infinite ("x[3] is NaN; allowed: finite numbers").
void require_finite(const double* x, std::size_t n, const std::string& field);

}  // namespace bplab
