#pragma once
// torch.optim's update rules, with torch's hyper-parameter names, applied to
// one flat parameter tensor at a time. The order of operations follows torch's
// single-tensor implementations so results agree with PyTorch in float64.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "bplab/names.hpp"

namespace bplab {

enum class OptimizerKind { sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw };

inline constexpr NameTable<OptimizerKind, 7> optimizer_names{{
    {"sgd", OptimizerKind::sgd},
    {"momentum", OptimizerKind::momentum},
    {"nesterov", OptimizerKind::nesterov},
    {"adagrad", OptimizerKind::adagrad},
    {"rmsprop", OptimizerKind::rmsprop},
    {"adam", OptimizerKind::adam},
    {"adamw", OptimizerKind::adamw},
}};

// 'momentum' and 'nesterov' are torch's SGD with momentum = 0.9 (and nesterov = True).
// Which optimizers read each setting, its range and its default: settings.hpp.
struct OptimizerConfig {
    OptimizerKind kind = OptimizerKind::sgd;
    double lr;
    double momentum;                   // SGD, RMSprop
    double dampening;                  // SGD
    bool nesterov;                     // SGD
    double weight_decay;               // all; AdamW decouples it
    double lr_decay;                   // Adagrad
    double initial_accumulator_value;  // Adagrad
    double alpha;                      // RMSprop smoothing constant
    bool centered;                     // RMSprop
    double beta1;                      // Adam, AdamW
    double beta2;
    bool amsgrad;
    double eps;
    OptimizerConfig();  // SGD, every setting at its default
};

// torch's defaults for each optimizer, with the lr given.
OptimizerConfig default_optimizer(OptimizerKind kind, double lr);

// What torch keeps in optimizer.state[p].
struct ParamState {
    std::uint64_t step = 0;
    std::vector<double> momentum_buffer;  // SGD (and RMSprop with momentum)
    std::vector<double> sum;              // Adagrad: running sum of squared gradients
    std::vector<double> square_avg;       // RMSprop
    std::vector<double> grad_avg;         // RMSprop, centered
    std::vector<double> exp_avg;          // Adam: m
    std::vector<double> exp_avg_sq;       // Adam: v
    std::vector<double> max_exp_avg_sq;   // Adam with amsgrad
};

// Every array of the state with the name the API gives it: checking, sizing,
// snapshots and the JS trace walk this list.
struct StateArray {
    const char* name;
    std::vector<double> ParamState::*values;
};
inline constexpr StateArray state_arrays[] = {
    {"momentumBuffer", &ParamState::momentum_buffer}, {"sum", &ParamState::sum},
    {"squareAvg", &ParamState::square_avg},           {"gradAvg", &ParamState::grad_avg},
    {"expAvg", &ParamState::exp_avg},                 {"expAvgSq", &ParamState::exp_avg_sq},
    {"maxExpAvgSq", &ParamState::max_exp_avg_sq},
};

// The optimizer's state for one layer: one per parameter tensor, as torch keeps it.
struct LayerOptimizerState {
    ParamState weights;
    ParamState biases;
};

// Sizes the state for n parameters as torch does on the first step.
void init_state(const OptimizerConfig& config, std::size_t n, ParamState& state);

// One step on params[0..n) with gradient grad; lr is the scheduled rate.
void optimizer_step(const OptimizerConfig& config, double lr, double* params, const double* grad,
                    std::size_t n, ParamState& state);

// The rate each parameter's gradient is actually scaled by in the last step
// (lr for SGD; lr / (sqrt(s) + eps) for Adagrad and RMSprop; for Adam and
// AdamW lr / (sqrt(v_hat) + eps), the rate of the bias-corrected m_hat: the
// step is -rate * m_hat, plus AdamW's decay), for n parameters. Empty before
// the first step.
std::vector<double> effective_rates(const OptimizerConfig& config, double lr,
                                    const ParamState& state, std::size_t n);

// Adam's bias-corrected moments after `step` updates: m̂ = m / (1 - beta1^t),
// v̂ = v / (1 - beta2^t) (amsgrad: of the running maximum of v). Both empty
// for the other optimizers and before the first step.
struct CorrectedMoments {
    std::vector<double> m_hat;
    std::vector<double> v_hat;
};
CorrectedMoments corrected_moments(const OptimizerConfig& config, const ParamState& state);

// Every number in the state is finite (an update that breaks this is undone).
bool finite_state(const ParamState& state);

// The same arrays, of the same sizes (a restored state must fit the optimizer).
bool same_sizes(const ParamState& a, const ParamState& b);

}  // namespace bplab
