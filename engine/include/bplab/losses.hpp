#pragma once
// Losses with PyTorch's reduction='mean', written per sample: the batch loss is
// the mean of the per-sample losses, and the per-sample gradients below are the
// derivatives of that sample's own loss (their batch mean is what the optimizer
// uses). Sigmoid + BCE and softmax + CCE work from the logits z, as
// BCEWithLogitsLoss and CrossEntropyLoss do, so logits of ±1000 stay finite.
// half_mse is TensorFlow Playground's square error ½(a − y)² (nn.Errors.SQUARE,
// derivative a − y), averaged as MSE is: PyTorch's 0.5 * MSELoss().
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <vector>

#include "bplab/activations.hpp"
#include "bplab/names.hpp"

namespace bplab {

enum class Loss { mse, bce, cce, half_mse };

inline constexpr NameTable<Loss, 4> loss_names{{
    {"mse", Loss::mse},
    {"bce", Loss::bce},
    {"cce", Loss::cce},
    {"half_mse", Loss::half_mse},
}};

// MSE and half_mse compare the outputs themselves: any output activation, any finite target.
inline bool squared_error(Loss loss) { return loss == Loss::mse || loss == Loss::half_mse; }

// The output activation a loss is computed with, when it needs one.
inline bool loss_accepts_output(Loss loss, Activation out) {
    if (loss == Loss::bce) return out == Activation::sigmoid;
    if (loss == Loss::cce) return out == Activation::softmax;
    return true;
}

// The loss a config gets when it names none: the one its output activation is made for.
inline Loss loss_for_output(Activation out) {
    if (out == Activation::sigmoid) return Loss::bce;
    if (out == Activation::softmax) return Loss::cce;
    return Loss::mse;
}

// log(sum_k exp(z_k)) without overflow.
inline double log_sum_exp(const double* z, std::size_t n) {
    double m = z[0];
    for (std::size_t k = 1; k < n; ++k) m = std::max(m, z[k]);
    double sum = 0.0;
    for (std::size_t k = 0; k < n; ++k) sum += std::exp(z[k] - m);
    return m + std::log(sum);
}

// One element of BCEWithLogitsLoss as torch 2 writes it: (1 - y) z - log σ(z),
// with -log σ(z) = max(-z, 0) + log1p(e^-|z|) so that neither a huge logit nor a
// tiny loss loses its digits.
inline double bce_with_logits(double z, double y) {
    return (1.0 - y) * z + std::max(-z, 0.0) + std::log1p(std::exp(-std::abs(z)));
}

// The loss of one sample whose output layer has pre-activations z and
// activations a (k outputs), against the target y.
inline double sample_loss(Loss loss, const double* z, const double* a, const double* y,
                          std::size_t k) {
    double sum = 0.0;
    switch (loss) {
        case Loss::mse:
            for (std::size_t i = 0; i < k; ++i) sum += (a[i] - y[i]) * (a[i] - y[i]);
            return sum / static_cast<double>(k);
        case Loss::half_mse:
            for (std::size_t i = 0; i < k; ++i) sum += 0.5 * (a[i] - y[i]) * (a[i] - y[i]);
            return sum / static_cast<double>(k);
        case Loss::bce:
            for (std::size_t i = 0; i < k; ++i) sum += bce_with_logits(z[i], y[i]);
            return sum / static_cast<double>(k);
        case Loss::cce: {
            // -sum_i y_i log p_i with log p_i = z_i - logsumexp(z)
            const double lse = log_sum_exp(z, k);
            for (std::size_t i = 0; i < k; ++i)
                if (y[i] != 0.0) sum -= y[i] * (z[i] - lse);
            return sum;
        }
    }
    return sum;
}

// The batch loss: the mean of the per-sample losses of `rows` samples (reduction='mean').
inline double mean_loss(Loss loss, const double* z, const double* a, const double* y, std::size_t rows,
                        std::size_t k) {
    double sum = 0.0;
    for (std::size_t r = 0; r < rows; ++r) sum += sample_loss(loss, z + r * k, a + r * k, y + r * k, k);
    return sum / static_cast<double>(rows);
}

// The output layer's chain rule for one sample: upstream dl/da, local f'(z)
// (softmax: the Jacobian's diagonal p(1 - p)) and downstream dl/dz.
inline void output_gradients(Loss loss, const ActivationSpec& out, const double* z,
                             const double* a, const double* y, std::size_t k, double* upstream,
                             double* local, double* downstream) {
    const double kd = static_cast<double>(k);
    for (std::size_t i = 0; i < k; ++i) local[i] = local_gradient(out, z[i], a[i]);
    switch (loss) {
        case Loss::mse:
        case Loss::half_mse:
            // d/da of (a − y)² is 2(a − y); of ½(a − y)², a − y.
            for (std::size_t i = 0; i < k; ++i)
                upstream[i] = (loss == Loss::mse ? 2.0 * (a[i] - y[i]) : a[i] - y[i]) / kd;
            if (out.kind == Activation::softmax) {
                softmax_backward_row(a, upstream, downstream, k);
            } else {
                for (std::size_t i = 0; i < k; ++i) downstream[i] = upstream[i] * local[i];
            }
            return;
        case Loss::bce:
            for (std::size_t i = 0; i < k; ++i) {
                // dl/da = (a - y) / (a (1 - a)) / k, written in z so that it stays
                // exact where a rounds to 0 or 1: -(1 + e^-z) for y = 1, 1 + e^z for y = 0.
                const double for_one = -(1.0 + std::exp(-z[i]));
                const double for_zero = 1.0 + std::exp(z[i]);
                double g = 0.0;
                if (y[i] != 0.0) g += y[i] * for_one;
                if (y[i] != 1.0) g += (1.0 - y[i]) * for_zero;
                upstream[i] = g / kd;
                downstream[i] = (sigmoid(z[i]) - y[i]) / kd;  // p - y
            }
            return;
        case Loss::cce: {
            const double lse = log_sum_exp(z, k);
            double y_sum = 0.0;
            for (std::size_t i = 0; i < k; ++i) y_sum += y[i];
            for (std::size_t i = 0; i < k; ++i) {
                // dl/dp_i = -y_i / p_i = -y_i exp(lse - z_i)
                upstream[i] = y[i] == 0.0 ? 0.0 : -y[i] * std::exp(lse - z[i]);
                // p_i sum(y) - y_i, which is p - y for a one-hot target
                downstream[i] = std::exp(z[i] - lse) * y_sum - y[i];
            }
            return;
        }
    }
}

// The same for `rows` samples, row after row.
inline void output_gradients(Loss loss, const ActivationSpec& out, const double* z, const double* a,
                             const double* y, std::size_t rows, std::size_t k, double* upstream, double* local,
                             double* downstream) {
    for (std::size_t r = 0; r < rows; ++r) {
        const std::size_t o = r * k;
        output_gradients(loss, out, z + o, a + o, y + o, k, upstream + o, local + o, downstream + o);
    }
}

// A loss over samples × units outputs as training computes it, for the course's loss panel:
// outputs are activations for 'mse' and 'half_mse'; for 'bce' and 'cce' probabilities (turned into the logits
// training computes from) or, with `logits`, the logits themselves. units: outputs per sample
// (none: one for mse, half_mse and bce, the whole array for cce). gradient: each sample's ∂ℓ/∂(outputs
// as given), that is ∂ℓ/∂a, or with logits ∂ℓ/∂z (p − y). LabError names what is refused.
struct LossReport {
    double loss = 0.0;  // the mean of per_sample
    std::vector<double> per_sample;
    std::vector<double> gradient;
};
LossReport loss_report(Loss loss, const std::vector<double>& outputs, const std::vector<double>& targets,
                       std::optional<std::size_t> units, bool logits);

}  // namespace bplab
