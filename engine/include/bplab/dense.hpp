#pragma once
// A dense layer, its forward pass and its backward pass side by side:
//   forward    z = W·a_in + b,  a = f(z)
//   backward   ∂ℓ/∂z = ∂ℓ/∂a ⊙ f′(z)        the chain rule at every unit
//              ∂ℓ/∂a_in = Wᵀ·∂ℓ/∂z          the upstream gradient of the layer below
//              ∂L/∂W = mean of ∂ℓ/∂z·a_inᵀ  over the batch, and ∂L/∂b = mean of ∂ℓ/∂z
// W[j][i] runs to unit j from input i (the course's θ₂₁ is "to 2, from 1").
// Every number lands in the layer's trace, which is what the page draws.
#include <cstddef>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "bplab/activations.hpp"
#include "bplab/names.hpp"
#include "bplab/random.hpp"
#include "kernels/kernels.hpp"

namespace bplab {

enum class Init { xavier, he, uniform, zero };

inline constexpr NameTable<Init, 4> init_names{
    {{"xavier", Init::xavier}, {"he", Init::he}, {"uniform", Init::uniform}, {"zero", Init::zero}}};

struct DenseLayer {
    xt::xtensor<double, 2> weights;  // units × inputs, row-major
    xt::xtensor<double, 1> biases;   // units
    ActivationSpec activation;

    std::size_t units() const { return weights.shape()[0]; }
    std::size_t inputs() const { return weights.shape()[1]; }
};

DenseLayer make_layer(std::size_t inputs, std::size_t units, ActivationSpec activation);

// xavier: Glorot uniform, bound sqrt(6 / (fan_in + fan_out)), biases 0 (torch's xavier_uniform_).
// he: normal with std sqrt(2 / fan_in), biases 0 (torch's kaiming_normal_).
// uniform: TensorFlow Playground's U(-0.5, 0.5) weights and 0.1 biases.
// zero: every weight and bias 0 (the playground's initZero): it draws nothing from rng, and it
// leaves the network symmetric: the units of a layer get the same gradient and stay equal.
void init_layer(DenseLayer& layer, Init init, Rng& rng);

// One layer's share of the chain rule for the current batch. Per-sample
// arrays are capacity × units with the first rows in use. A field is
// meaningful once its phase has run (the *_done flags); until then it holds
// an earlier batch's numbers.
struct LayerTrace {
    xt::xtensor<double, 2> pre_activation;   // z
    xt::xtensor<double, 2> activation;       // a = f(z)
    xt::xtensor<double, 2> upstream_grad;    // ∂ℓ/∂a, from the layer above (or the loss)
    xt::xtensor<double, 2> local_grad;       // f′(z); for softmax the Jacobian's diagonal
    xt::xtensor<double, 2> downstream_grad;  // ∂ℓ/∂z = upstream × local (softmax: the full sum)
    xt::xtensor<double, 2> weight_grad;      // ∂L/∂W, batch mean of ∂ℓ/∂z_j · a_i (data loss only)
    xt::xtensor<double, 1> bias_grad;        // ∂L/∂b
    xt::xtensor<double, 2> penalty_grad;     // what L1/L2 adds to weight_grad for the optimizer
    xt::xtensor<double, 2> weights_before;   // the weights the update started from
    xt::xtensor<double, 1> biases_before;
    xt::xtensor<double, 2> weight_update;    // the change the optimizer applied
    xt::xtensor<double, 1> bias_update;
    bool forward_done = false;
    bool backward_done = false;
    bool update_done = false;
};

// The arrays of a trace with the names the API gives them, the phase that
// fills them and their shape: sizing a batch, a snapshot and the JS trace all
// walk this list.
enum class TraceShape { per_sample, weights, biases };
struct TraceArray {
    const char* name;
    xt::xtensor<double, 2> LayerTrace::*matrix;  // per_sample and weights
    xt::xtensor<double, 1> LayerTrace::*vector;  // biases
    TraceShape shape;
    bool LayerTrace::*done;  // the phase that fills it has run
};
inline const TraceArray trace_arrays[] = {
    {"z", &LayerTrace::pre_activation, nullptr, TraceShape::per_sample, &LayerTrace::forward_done},
    {"a", &LayerTrace::activation, nullptr, TraceShape::per_sample, &LayerTrace::forward_done},
    {"upstream", &LayerTrace::upstream_grad, nullptr, TraceShape::per_sample, &LayerTrace::backward_done},
    {"local", &LayerTrace::local_grad, nullptr, TraceShape::per_sample, &LayerTrace::backward_done},
    {"downstream", &LayerTrace::downstream_grad, nullptr, TraceShape::per_sample, &LayerTrace::backward_done},
    {"dW", &LayerTrace::weight_grad, nullptr, TraceShape::weights, &LayerTrace::backward_done},
    {"db", nullptr, &LayerTrace::bias_grad, TraceShape::biases, &LayerTrace::backward_done},
    {"penalty", &LayerTrace::penalty_grad, nullptr, TraceShape::weights, &LayerTrace::backward_done},
    {"weightsBefore", &LayerTrace::weights_before, nullptr, TraceShape::weights, &LayerTrace::update_done},
    {"biasesBefore", nullptr, &LayerTrace::biases_before, TraceShape::biases, &LayerTrace::update_done},
    {"update", &LayerTrace::weight_update, nullptr, TraceShape::weights, &LayerTrace::update_done},
    {"biasUpdate", nullptr, &LayerTrace::bias_update, TraceShape::biases, &LayerTrace::update_done},
};

// A trace for batches of up to `capacity` rows, every array zero.
LayerTrace make_trace(std::size_t inputs, std::size_t units, std::size_t capacity);

// The weights and biases a pass reads.
struct Parameters {
    const xt::xtensor<double, 2>& weights;
    const xt::xtensor<double, 1>& biases;
};

// The parameters the batch of this trace used: the layer's own until the
// update, then the ones the update started from.
inline Parameters batch_parameters(const DenseLayer& layer, const LayerTrace& t) {
    if (t.update_done) return {t.weights_before, t.biases_before};
    return {layer.weights, layer.biases};
}

// ---- forward: z = W·a_in + b, a = f(z) ------------------------------------------------------

// z alone, for `rows` rows of inputs x.
void dense_forward(const DenseLayer& layer, const double* x, std::size_t rows, double* z);

// z and a of `rows` rows into the trace.
inline void forward(Parameters p, const ActivationSpec& f, const double* a_in, std::size_t rows, LayerTrace& t) {
    const std::size_t units = p.weights.shape()[0], inputs = p.weights.shape()[1];
    kernels::matvec(p.weights.data(), p.biases.data(), units, inputs, a_in, rows, t.pre_activation.data());  // z
    activate_rows(f, t.pre_activation.data(), t.activation.data(), rows, units);                         // a = f(z)
}

// ---- backward -----------------------------------------------------------------------------------

// ∂ℓ/∂z = ∂ℓ/∂a ⊙ f′(z) for `rows` rows, given ∂ℓ/∂a in the trace (a hidden
// layer's; the output layer's comes with the loss, losses.hpp).
inline void unit_gradients(const ActivationSpec& f, std::size_t rows, LayerTrace& t) {
    chain_rule(f, t.pre_activation.data(), t.activation.data(), t.upstream_grad.data(), t.local_grad.data(),
               t.downstream_grad.data(), rows * t.pre_activation.shape()[1]);
}

// ∂ℓ/∂a_in = Wᵀ·∂ℓ/∂z for `rows` rows: every path from an input into this
// layer, summed. It is the upstream gradient of the layer below.
inline void input_gradient(Parameters p, const LayerTrace& t, std::size_t rows, double* upstream_below) {
    kernels::matvec_transposed(p.weights.data(), p.weights.shape()[0], p.weights.shape()[1],
                               t.downstream_grad.data(), rows, upstream_below);
}

// ∂L/∂W = mean over the batch's `rows` rows of ∂ℓ/∂z·a_inᵀ, ∂L/∂b = mean of ∂ℓ/∂z.
inline void parameter_gradients(const double* a_in, std::size_t rows, LayerTrace& t) {
    const std::size_t units = t.weight_grad.shape()[0], inputs = t.weight_grad.shape()[1];
    kernels::outer_product_mean(t.downstream_grad.data(), units, a_in, inputs, rows, t.weight_grad.data());
    kernels::column_mean(t.downstream_grad.data(), units, rows, t.bias_grad.data());
}

// One row's own ∂ℓ/∂W = ∂ℓ/∂z·a_inᵀ (units × inputs), a_in that row's input.
std::vector<double> sample_weight_gradient(const LayerTrace& t, const double* a_in, std::size_t inputs,
                                           std::size_t row);

// The mean |∂L/∂W|: the size of the gradient that reaches the layer.
double gradient_size(const LayerTrace& t);

}  // namespace bplab
