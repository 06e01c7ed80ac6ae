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
struct OptimizerConfig {
    OptimizerKind kind = OptimizerKind::sgd;
    double lr = 0.03;
    double momentum = 0.0;       // SGD, RMSprop
    double dampening = 0.0;      // SGD
    bool nesterov = false;       // SGD
    double weight_decay = 0.0;   // all; AdamW decouples it
    double lr_decay = 0.0;       // Adagrad
    double initial_accumulator_value = 0.0;  // Adagrad
    double alpha = 0.99;         // RMSprop smoothing constant
    bool centered = false;       // RMSprop
    double beta1 = 0.9;          // Adam, AdamW
    double beta2 = 0.999;
    bool amsgrad = false;
    double eps = 1e-8;           // Adagrad's torch default is 1e-10
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

}  // namespace bplab
