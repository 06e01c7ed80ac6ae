#pragma once
// Everything a trainer is built from, and the check that lists every problem
// in it at once (field, value, what is allowed) instead of stopping at the first.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bplab/activations.hpp"
#include "bplab/datasets.hpp"
#include "bplab/dense.hpp"
#include "bplab/features.hpp"
#include "bplab/limits.hpp"
#include "bplab/losses.hpp"
#include "bplab/optimizers.hpp"
#include "bplab/regularization.hpp"
#include "bplab/schedules.hpp"
#include "bplab/settings.hpp"

namespace bplab {

struct LayerSpec {
    std::size_t units = 1;
    ActivationSpec activation;
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
        return !squared_error(loss) || (!layers.empty() && layers.back().activation.kind == Activation::softmax);
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

// validate() for a config read from outside (the JS API), after `problems`
// lists those of reading it: only what reading has not explained is added (a
// problem inside a field already reported, or judged with one, is a
// consequence), and a value reading replaced by a stand-in is shown as `given`.
void add_validation(const TrainerConfig& config, std::vector<ConfigProblem>& problems,
                    const std::map<std::string, std::string>& given);

// The checks validate() makes of one part, for calls that take only that part
// (the optimizer race, schedule curves). Fields are named as in a trainer's config; the
// rate a schedule is checked against is reported as lr_field.
std::vector<ConfigProblem> validate_optimizer(const OptimizerConfig& optimizer);
std::vector<ConfigProblem> validate_schedule(const ScheduleConfig& schedule, double lr,
                                             const std::string& lr_field = "optimizer.lr");

// Every field of a config once, with what a live trainer does when it changes
// and its value as a 64-bit word (a double by its bits): the snapshot's config
// fingerprint hashes them, a live reconfigure compares them.
struct ConfigField {
    OnChange on_change;
    const char* name;   // as the API spells it ("seed", "layers", "optimizer.lr")
    std::size_t layer;  // for "layers": 0, or the layer l + 1 of "layers[l]"
    std::uint64_t word;
    std::string field() const;  // "layers[1]"
};
std::vector<ConfigField> config_fields(const TrainerConfig& config);

// What changes from one config to the next on a live trainer: the first field
// it cannot take (empty if none), and what it must start afresh.
struct ConfigChange {
    std::string refused;
    bool new_state = false;         // the optimizer's state
    bool restart_schedule = false;  // from the (new) learning rate
    bool new_batches = false;       // batch size or shuffling: the epoch starts over
};
ConfigChange compare_configs(const TrainerConfig& from, const TrainerConfig& to);

// Throws LabError("invalid_config") listing every problem of the config, if it has any.
void require_valid(const TrainerConfig& config);

// Roughly the bytes a trainer built from config holds (parameters, optimizer
// state, both batch buffers, data, and a restore's copy), for refusing
// networks that would not fit in WebAssembly's memory.
double estimated_memory(const TrainerConfig& config);

// The first target the loss cannot learn from, as a problem on `field` ("y[7]"); none if
// all are fine. n rows of k targets: 'bce' needs values from 0 to 1, 'cce' rows of such
// values summing to 1 (one-hot for a class), 'mse' and 'half_mse' any finite number.
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
