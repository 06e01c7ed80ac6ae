#include "bplab/losses.hpp"

#include <string>

#include "bplab/config.hpp"
#include "bplab/errors.hpp"

namespace bplab {
namespace {

// Outputs given as probabilities become the logits training computes the loss from:
// z = log(p / (1 - p)) for a sigmoid output; z = log p for softmax (equal up to a constant,
// which softmax ignores).
void logits_from_probabilities(Loss loss, const std::vector<double>& p, std::size_t k, std::vector<double>& z) {
    for (std::size_t i = 0; i < p.size(); ++i) {
        const bool ok = loss == Loss::bce ? p[i] > 0.0 && p[i] < 1.0 : p[i] > 0.0 && p[i] <= 1.0;
        if (!ok)
            throw LabError("invalid_argument", "outputs",
                           "outputs[" + std::to_string(i) + "] is " + describe(p[i]) + "; allowed: " +
                               (loss == Loss::bce ? "probabilities above 0, below 1"
                                                  : "probabilities above 0, at most 1") +
                               " (or logits, with { logits: true })");
        z[i] = loss == Loss::bce ? std::log(p[i]) - std::log1p(-p[i]) : std::log(p[i]);
    }
    if (loss != Loss::cce) return;
    for (std::size_t r = 0; r < p.size() / k; ++r) {
        double sum = 0.0;
        for (std::size_t i = 0; i < k; ++i) sum += p[r * k + i];
        if (std::abs(sum - 1.0) > 1e-9)
            throw LabError("invalid_argument", "outputs",
                           "outputs of sample " + std::to_string(r) + " sum to " + describe(sum) +
                               "; allowed: probabilities summing to 1 (or logits, with { logits: true })");
    }
}

}  // namespace

LossReport loss_report(Loss loss, const std::vector<double>& outputs, const std::vector<double>& targets,
                       std::optional<std::size_t> units, bool logits) {
    if (logits && squared_error(loss))
        throw LabError("invalid_argument", "logits",
                       "logits is true with '" + std::string(to_name(loss_names, loss)) + "'; allowed: false, since '" +
                           std::string(to_name(loss_names, loss)) +
                           "' compares the outputs themselves (logits apply to 'bce' and 'cce')");
    const std::size_t k = units.value_or(loss == Loss::cce ? outputs.size() : 1);
    if (outputs.size() % k != 0)
        throw LabError("invalid_argument", "outputs",
                       "outputs has " + std::to_string(outputs.size()) + " numbers; allowed: a multiple of units = " +
                           std::to_string(k) + " (samples × units, row-major)");
    const std::size_t n = outputs.size() / k;
    for (const ConfigProblem& p : validate_targets(loss, targets.data(), n, k, "targets"))
        throw LabError("invalid_argument", "targets", p.message());

    // Training's conventions: mse and half_mse compare activations; bce and cce work from the logits.
    const ActivationSpec out{loss == Loss::bce   ? Activation::sigmoid
                             : loss == Loss::cce ? Activation::softmax
                                                 : Activation::linear};
    std::vector<double> z = outputs, a = outputs;
    if (!squared_error(loss) && logits) activate_rows(out, z.data(), a.data(), n, k);
    if (!squared_error(loss) && !logits) logits_from_probabilities(loss, outputs, k, z);

    LossReport report;
    report.per_sample.resize(n);
    std::vector<double> upstream(outputs.size()), local(outputs.size()), downstream(outputs.size());
    for (std::size_t r = 0; r < n; ++r)
        report.per_sample[r] = sample_loss(loss, &z[r * k], &a[r * k], &targets[r * k], k);
    report.loss = mean_loss(loss, z.data(), a.data(), targets.data(), n, k);
    output_gradients(loss, out, z.data(), a.data(), targets.data(), n, k, upstream.data(), local.data(),
                     downstream.data());
    report.gradient = logits ? downstream : upstream;
    return report;
}

}  // namespace bplab
