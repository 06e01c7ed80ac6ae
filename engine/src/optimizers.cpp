#include "bplab/optimizers.hpp"

#include <algorithm>

#include "bplab/settings.hpp"
#include "kernels/kernels.hpp"

namespace bplab {
namespace {

// torch.lerp: start + w (end - start), computed from the nearer end.
double lerp(double start, double end, double w) {
    return w < 0.5 ? start + w * (end - start) : end - (end - start) * (1.0 - w);
}

// Adagrad's rate after `step` updates: lr / (1 + (step - 1) · lr_decay).
double adagrad_rate(const OptimizerConfig& c, double lr, std::uint64_t step) {
    return lr / (1.0 + static_cast<double>(step - 1) * c.lr_decay);
}

// Adam's bias corrections after `step` updates: 1 - beta1^t and 1 - beta2^t.
struct BiasCorrections {
    double first, second;
};
BiasCorrections bias_corrections(const OptimizerConfig& c, std::uint64_t step) {
    const double t = static_cast<double>(step);
    return {1.0 - std::pow(c.beta1, t), 1.0 - std::pow(c.beta2, t)};
}

double with_decay(const OptimizerConfig& c, const double* params, const double* grad,
                  std::size_t i) {
    return c.weight_decay != 0.0 ? grad[i] + c.weight_decay * params[i] : grad[i];
}

void sgd(const OptimizerConfig& c, double lr, double* p, const double* grad, std::size_t n,
         ParamState& s) {
    const bool first = s.step == 0;
    for (std::size_t i = 0; i < n; ++i) {
        double g = with_decay(c, p, grad, i);
        if (c.momentum != 0.0) {
            double& buf = s.momentum_buffer[i];
            buf = first ? g : buf * c.momentum + (1.0 - c.dampening) * g;
            g = c.nesterov ? g + c.momentum * buf : buf;
        }
        p[i] += -lr * g;
    }
}

void adagrad(const OptimizerConfig& c, double lr, double* p, const double* grad, std::size_t n,
             ParamState& s) {
    const double clr = adagrad_rate(c, lr, s.step);
    for (std::size_t i = 0; i < n; ++i) {
        const double g = with_decay(c, p, grad, i);
        s.sum[i] += g * g;
        const double std_dev = std::sqrt(s.sum[i]) + c.eps;
        p[i] += -clr * g / std_dev;  // addcdiv: p + value * t1 / t2
    }
}

void rmsprop(const OptimizerConfig& c, double lr, double* p, const double* grad, std::size_t n,
             ParamState& s) {
    for (std::size_t i = 0; i < n; ++i) {
        const double g = with_decay(c, p, grad, i);
        s.square_avg[i] = s.square_avg[i] * c.alpha + (1.0 - c.alpha) * g * g;  // addcmul
        double avg;
        if (c.centered) {
            s.grad_avg[i] = lerp(s.grad_avg[i], g, 1.0 - c.alpha);
            avg = std::sqrt(s.square_avg[i] - s.grad_avg[i] * s.grad_avg[i]);
        } else {
            avg = std::sqrt(s.square_avg[i]);
        }
        avg += c.eps;
        if (c.momentum > 0.0) {
            s.momentum_buffer[i] = s.momentum_buffer[i] * c.momentum + g / avg;
            p[i] += s.momentum_buffer[i] * -lr;
        } else {
            p[i] += -lr * g / avg;
        }
    }
}

void adam(const OptimizerConfig& c, double lr, double* p, const double* grad, std::size_t n,
          ParamState& s) {
    const bool decoupled = c.kind == OptimizerKind::adamw;
    const BiasCorrections bc = bias_corrections(c, s.step);
    const double step_size = lr / bc.first;
    const double bias_correction2_sqrt = std::sqrt(bc.second);
    for (std::size_t i = 0; i < n; ++i) {
        double g = grad[i];
        if (decoupled) {
            p[i] *= 1.0 - lr * c.weight_decay;
        } else if (c.weight_decay != 0.0) {
            g += c.weight_decay * p[i];
        }
        s.exp_avg[i] = lerp(s.exp_avg[i], g, 1.0 - c.beta1);
        s.exp_avg_sq[i] = s.exp_avg_sq[i] * c.beta2 + (1.0 - c.beta2) * g * g;
        double second = s.exp_avg_sq[i];
        if (c.amsgrad) {
            s.max_exp_avg_sq[i] = std::max(s.max_exp_avg_sq[i], s.exp_avg_sq[i]);
            second = s.max_exp_avg_sq[i];
        }
        const double denom = std::sqrt(second) / bias_correction2_sqrt + c.eps;
        p[i] += -step_size * s.exp_avg[i] / denom;
    }
}

}  // namespace

OptimizerConfig::OptimizerConfig() {
    for (const OptimizerSetting& s : optimizer_settings) s.member.set(*this, s.base);
}

OptimizerConfig default_optimizer(OptimizerKind kind, double lr) {
    OptimizerConfig c;
    c.kind = kind;
    for (const OptimizerSetting& s : optimizer_settings) s.member.set(c, s.default_for(kind));
    c.lr = lr;
    return c;
}

void init_state(const OptimizerConfig& c, std::size_t n, ParamState& s) {
    s = ParamState{};
    switch (c.kind) {
        case OptimizerKind::sgd:
        case OptimizerKind::momentum:
        case OptimizerKind::nesterov:
            if (c.momentum != 0.0) s.momentum_buffer.assign(n, 0.0);
            break;
        case OptimizerKind::adagrad:
            s.sum.assign(n, c.initial_accumulator_value);
            break;
        case OptimizerKind::rmsprop:
            s.square_avg.assign(n, 0.0);
            if (c.centered) s.grad_avg.assign(n, 0.0);
            if (c.momentum > 0.0) s.momentum_buffer.assign(n, 0.0);
            break;
        case OptimizerKind::adam:
        case OptimizerKind::adamw:
            s.exp_avg.assign(n, 0.0);
            s.exp_avg_sq.assign(n, 0.0);
            if (c.amsgrad) s.max_exp_avg_sq.assign(n, 0.0);
            break;
    }
}

void optimizer_step(const OptimizerConfig& c, double lr, double* params, const double* grad,
                    std::size_t n, ParamState& s) {
    switch (c.kind) {
        case OptimizerKind::sgd:
        case OptimizerKind::momentum:
        case OptimizerKind::nesterov:
            sgd(c, lr, params, grad, n, s);  // reads step == 0 as "no buffer yet"
            s.step += 1;
            return;
        case OptimizerKind::adagrad:
            s.step += 1;
            adagrad(c, lr, params, grad, n, s);
            return;
        case OptimizerKind::rmsprop:
            s.step += 1;
            rmsprop(c, lr, params, grad, n, s);
            return;
        case OptimizerKind::adam:
        case OptimizerKind::adamw:
            s.step += 1;
            adam(c, lr, params, grad, n, s);
            return;
    }
}

std::vector<double> effective_rates(const OptimizerConfig& c, double lr, const ParamState& s,
                                    std::size_t n) {
    std::vector<double> rates;
    if (s.step == 0) return rates;
    switch (c.kind) {
        case OptimizerKind::sgd:
        case OptimizerKind::momentum:
        case OptimizerKind::nesterov:
            rates.assign(n, lr);
            break;
        case OptimizerKind::adagrad: {
            const double clr = adagrad_rate(c, lr, s.step);
            for (double sum : s.sum) rates.push_back(clr / (std::sqrt(sum) + c.eps));
            break;
        }
        case OptimizerKind::rmsprop:
            for (std::size_t i = 0; i < s.square_avg.size(); ++i) {
                double v = s.square_avg[i];
                if (c.centered) v -= s.grad_avg[i] * s.grad_avg[i];
                rates.push_back(lr / (std::sqrt(v) + c.eps));
            }
            break;
        case OptimizerKind::adam:
        case OptimizerKind::adamw: {
            const BiasCorrections bc = bias_corrections(c, s.step);
            const double bc2_sqrt = std::sqrt(bc.second);
            const auto& v = c.amsgrad ? s.max_exp_avg_sq : s.exp_avg_sq;
            for (double vi : v) rates.push_back(lr / (std::sqrt(vi) / bc2_sqrt + c.eps));
            break;
        }
    }
    return rates;
}

CorrectedMoments corrected_moments(const OptimizerConfig& c, const ParamState& s) {
    CorrectedMoments out;
    const bool adam = c.kind == OptimizerKind::adam || c.kind == OptimizerKind::adamw;
    if (!adam || s.step == 0) return out;
    const BiasCorrections bc = bias_corrections(c, s.step);
    for (double m : s.exp_avg) out.m_hat.push_back(m / bc.first);
    for (double v : c.amsgrad ? s.max_exp_avg_sq : s.exp_avg_sq) out.v_hat.push_back(v / bc.second);
    return out;
}

bool finite_state(const ParamState& s) {
    for (const StateArray& array : state_arrays)
        if (!kernels::all_finite((s.*array.values).data(), (s.*array.values).size())) return false;
    return true;
}

bool same_sizes(const ParamState& a, const ParamState& b) {
    for (const StateArray& array : state_arrays)
        if ((a.*array.values).size() != (b.*array.values).size()) return false;
    return true;
}

}  // namespace bplab
