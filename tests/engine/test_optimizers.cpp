#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "bplab/optimizers.hpp"

using namespace bplab;

namespace {

// Two parameters, three steps with these gradients.
constexpr std::array<double, 2> start{0.5, -1.2};
constexpr std::array<std::array<double, 2>, 3> grads{{{0.3, -0.8}, {-0.1, 0.5}, {0.25, 0.05}}};

struct Run {
    std::vector<std::array<double, 2>> params;  // after each step
    ParamState state;
};

Run run_engine(const OptimizerConfig& c) {
    Run run;
    init_state(c, 2, run.state);
    std::array<double, 2> p = start;
    for (const auto& g : grads) {
        optimizer_step(c, c.lr, p.data(), g.data(), 2, run.state);
        run.params.push_back(p);
    }
    return run;
}

// Compares three steps against values computed by hand for each coordinate.
void check_steps(const Run& engine, const std::vector<std::array<double, 2>>& hand) {
    REQUIRE(engine.params.size() == 3);
    for (std::size_t t = 0; t < 3; ++t)
        for (std::size_t i = 0; i < 2; ++i) {
            INFO("step " << t + 1 << ", parameter " << i);
            CHECK(engine.params[t][i] == Approx(hand[t][i]).epsilon(1e-13));
        }
}

void check_values(const std::vector<double>& engine, const std::array<double, 2>& hand) {
    REQUIRE(engine.size() == 2);
    CHECK(engine[0] == Approx(hand[0]).epsilon(1e-13));
    CHECK(engine[1] == Approx(hand[1]).epsilon(1e-13));
}

OptimizerConfig config(OptimizerKind kind, double lr) {
    OptimizerConfig c = default_optimizer(kind, lr);
    return c;
}

}  // namespace

TEST_CASE("SGD: p ← p − lr·g, with momentum, dampening, Nesterov and weight decay as torch.optim.SGD") {
    struct Variant {
        const char* name;
        double momentum, dampening, weight_decay;
        bool nesterov;
    };
    const Variant v = GENERATE(values<Variant>({{"plain", 0.0, 0.0, 0.0, false},
                                                {"momentum", 0.9, 0.0, 0.0, false},
                                                {"dampening", 0.9, 0.3, 0.0, false},
                                                {"nesterov", 0.8, 0.0, 0.0, true},
                                                {"weight decay", 0.0, 0.0, 0.05, false},
                                                {"all", 0.7, 0.0, 0.02, true}}));
    INFO(v.name);
    OptimizerConfig c = config(OptimizerKind::sgd, 0.1);
    c.momentum = v.momentum;
    c.dampening = v.dampening;
    c.nesterov = v.nesterov;
    c.weight_decay = v.weight_decay;

    std::vector<std::array<double, 2>> hand;
    std::array<double, 2> p = start, buf{0, 0};
    for (int t = 1; t <= 3; ++t) {
        for (int i = 0; i < 2; ++i) {
            double g = grads[t - 1][i] + v.weight_decay * p[i];
            if (v.momentum != 0.0) {
                // the buffer starts as the first gradient itself
                buf[i] = t == 1 ? g : v.momentum * buf[i] + (1.0 - v.dampening) * g;
                g = v.nesterov ? g + v.momentum * buf[i] : buf[i];
            }
            p[i] = p[i] - 0.1 * g;
        }
        hand.push_back(p);
    }
    const Run run = run_engine(c);
    check_steps(run, hand);
    if (v.momentum != 0.0) check_values(run.state.momentum_buffer, buf);
    check_values(effective_rates(c, 0.1, run.state, 2), {0.1, 0.1});
}

TEST_CASE("Adagrad: s ← s + g², p ← p − lr/(1 + (t−1)·lr_decay) · g/(√s + eps)") {
    struct Variant {
        const char* name;
        double lr_decay, initial, weight_decay;
    };
    const Variant v = GENERATE(values<Variant>({{"plain", 0.0, 0.0, 0.0},
                                                {"lr decay", 0.5, 0.0, 0.0},
                                                {"initial accumulator", 0.0, 0.2, 0.0},
                                                {"weight decay", 0.1, 0.0, 0.3}}));
    INFO(v.name);
    OptimizerConfig c = config(OptimizerKind::adagrad, 0.2);
    REQUIRE(c.eps == 1e-10);  // torch's default for Adagrad
    c.lr_decay = v.lr_decay;
    c.initial_accumulator_value = v.initial;
    c.weight_decay = v.weight_decay;

    std::vector<std::array<double, 2>> hand;
    std::array<double, 2> p = start, sum{v.initial, v.initial}, rate{};
    for (int t = 1; t <= 3; ++t) {
        const double clr = 0.2 / (1.0 + (t - 1) * v.lr_decay);
        for (int i = 0; i < 2; ++i) {
            const double g = grads[t - 1][i] + v.weight_decay * p[i];
            sum[i] += g * g;
            rate[i] = clr / (std::sqrt(sum[i]) + 1e-10);
            p[i] -= rate[i] * g;
        }
        hand.push_back(p);
    }
    const Run run = run_engine(c);
    check_steps(run, hand);
    check_values(run.state.sum, sum);
    check_values(effective_rates(c, 0.2, run.state, 2), rate);
}

TEST_CASE("Adagrad's effective rate only shrinks") {
    OptimizerConfig c = config(OptimizerKind::adagrad, 0.5);
    ParamState s;
    init_state(c, 1, s);
    double p = 1.0, previous = INFINITY;
    for (int t = 0; t < 20; ++t) {
        const double g = 0.3;
        optimizer_step(c, c.lr, &p, &g, 1, s);
        const double rate = effective_rates(c, c.lr, s, 1)[0];
        CHECK(rate < previous);
        previous = rate;
    }
    CHECK(previous == Approx(0.5 / std::sqrt(20 * 0.09)).epsilon(1e-9));
}

TEST_CASE("RMSprop: v ← αv + (1−α)g², p ← p − lr·g/(√v + eps), with momentum and centering as torch.optim.RMSprop") {
    struct Variant {
        const char* name;
        double alpha, momentum, weight_decay;
        bool centered;
    };
    const Variant v = GENERATE(values<Variant>({{"torch default alpha", 0.99, 0.0, 0.0, false},
                                                {"course decay 0.9", 0.9, 0.0, 0.0, false},
                                                {"momentum", 0.9, 0.5, 0.0, false},
                                                {"centered", 0.9, 0.0, 0.0, true},
                                                {"centered with momentum and decay", 0.8, 0.4, 0.1, true}}));
    INFO(v.name);
    OptimizerConfig c = config(OptimizerKind::rmsprop, 0.01);
    c.alpha = v.alpha;
    c.momentum = v.momentum;
    c.centered = v.centered;
    c.weight_decay = v.weight_decay;
    const double eps = 1e-8;

    std::vector<std::array<double, 2>> hand;
    std::array<double, 2> p = start, sq{0, 0}, mean{0, 0}, buf{0, 0};
    for (int t = 1; t <= 3; ++t) {
        for (int i = 0; i < 2; ++i) {
            const double g = grads[t - 1][i] + v.weight_decay * p[i];
            sq[i] = v.alpha * sq[i] + (1.0 - v.alpha) * g * g;
            double denom = std::sqrt(sq[i]) + eps;
            if (v.centered) {
                mean[i] = v.alpha * mean[i] + (1.0 - v.alpha) * g;
                denom = std::sqrt(sq[i] - mean[i] * mean[i]) + eps;  // eps outside the root
            }
            if (v.momentum > 0.0) {
                buf[i] = v.momentum * buf[i] + g / denom;
                p[i] -= 0.01 * buf[i];
            } else {
                p[i] -= 0.01 * g / denom;
            }
        }
        hand.push_back(p);
    }
    const Run run = run_engine(c);
    check_steps(run, hand);
    check_values(run.state.square_avg, sq);
    if (v.centered) check_values(run.state.grad_avg, mean);
    if (v.momentum > 0.0) check_values(run.state.momentum_buffer, buf);
}

TEST_CASE("Adam and AdamW: bias-corrected moments, amsgrad, coupled and decoupled weight decay") {
    struct Variant {
        const char* name;
        OptimizerKind kind;
        double beta2, weight_decay;
        bool amsgrad;
    };
    const Variant v = GENERATE(values<Variant>({{"adam", OptimizerKind::adam, 0.999, 0.0, false},
                                                {"adam, weight decay in the gradient", OptimizerKind::adam, 0.999, 0.1, false},
                                                {"adam, amsgrad", OptimizerKind::adam, 0.9, 0.0, true},
                                                {"adamw, decoupled decay", OptimizerKind::adamw, 0.999, 0.1, false},
                                                {"adamw, amsgrad", OptimizerKind::adamw, 0.9, 0.01, true}}));
    INFO(v.name);
    OptimizerConfig c = config(v.kind, 0.05);
    c.beta2 = v.beta2;
    c.weight_decay = v.weight_decay;
    c.amsgrad = v.amsgrad;
    const double b1 = 0.9, b2 = v.beta2, eps = 1e-8, lr = 0.05;
    const bool decoupled = v.kind == OptimizerKind::adamw;

    std::vector<std::array<double, 2>> hand;
    std::array<double, 2> p = start, m{0, 0}, s{0, 0}, s_max{0, 0}, rate{}, m_hats{}, v_hats{};
    for (int t = 1; t <= 3; ++t) {
        for (int i = 0; i < 2; ++i) {
            double g = grads[t - 1][i];
            if (decoupled) p[i] = p[i] * (1.0 - lr * v.weight_decay);  // AdamW: decay the weight itself
            else g += v.weight_decay * p[i];                           // Adam: decay through the gradient
            m[i] = b1 * m[i] + (1.0 - b1) * g;
            s[i] = b2 * s[i] + (1.0 - b2) * g * g;
            s_max[i] = std::max(s_max[i], s[i]);
            const double m_hat = m[i] / (1.0 - std::pow(b1, t));
            const double v_hat = (v.amsgrad ? s_max[i] : s[i]) / (1.0 - std::pow(b2, t));
            rate[i] = lr / (std::sqrt(v_hat) + eps);  // the rate of m_hat
            m_hats[i] = m_hat;
            v_hats[i] = v_hat;
            p[i] -= rate[i] * m_hat;
        }
        hand.push_back(p);
    }
    const Run run = run_engine(c);
    check_steps(run, hand);
    CHECK(run.state.step == 3);
    check_values(run.state.exp_avg, m);
    check_values(run.state.exp_avg_sq, s);
    if (v.amsgrad) {
        check_values(run.state.max_exp_avg_sq, s_max);
        CHECK(s_max[1] != s[1]);  // the second moment fell at step 3: amsgrad made a difference
    }
    check_values(effective_rates(c, lr, run.state, 2), rate);
    const CorrectedMoments corrected = corrected_moments(c, run.state);
    check_values(corrected.m_hat, m_hats);
    check_values(corrected.v_hat, v_hats);
}

TEST_CASE("bias-corrected moments exist only for Adam and AdamW after a step") {
    OptimizerConfig adam = config(OptimizerKind::adam, 0.01);
    ParamState s;
    init_state(adam, 2, s);
    CHECK(corrected_moments(adam, s).m_hat.empty());
    const Run sgd = run_engine(config(OptimizerKind::momentum, 0.01));
    CHECK(corrected_moments(config(OptimizerKind::momentum, 0.01), sgd.state).v_hat.empty());
}

TEST_CASE("Adam's first step moves every parameter by about lr, whatever the gradient's size") {
    OptimizerConfig c = config(OptimizerKind::adam, 0.01);
    ParamState s;
    init_state(c, 3, s);
    double p[3] = {0, 0, 0};
    const double g[3] = {1e-4, 1.0, -300.0};
    optimizer_step(c, c.lr, p, g, 3, s);
    CHECK(p[0] == Approx(-0.01).epsilon(1e-3));
    CHECK(p[1] == Approx(-0.01).epsilon(1e-7));
    CHECK(p[2] == Approx(0.01).epsilon(1e-7));
}

TEST_CASE("the named optimizers carry torch's defaults") {
    SECTION("momentum and nesterov are SGD with momentum 0.9") {
        const OptimizerConfig m = default_optimizer(OptimizerKind::momentum, 0.1);
        CHECK(m.momentum == 0.9);
        CHECK_FALSE(m.nesterov);
        const OptimizerConfig n = default_optimizer(OptimizerKind::nesterov, 0.1);
        CHECK(n.momentum == 0.9);
        CHECK(n.nesterov);
        CHECK(n.dampening == 0.0);
    }
    SECTION("Adagrad's eps is 1e-10, RMSprop's alpha 0.99, Adam's betas 0.9 and 0.999, AdamW's decay 0.01") {
        CHECK(default_optimizer(OptimizerKind::adagrad, 0.1).eps == 1e-10);
        CHECK(default_optimizer(OptimizerKind::rmsprop, 0.1).alpha == 0.99);
        CHECK(default_optimizer(OptimizerKind::rmsprop, 0.1).eps == 1e-8);
        const OptimizerConfig a = default_optimizer(OptimizerKind::adam, 0.1);
        CHECK(a.beta1 == 0.9);
        CHECK(a.beta2 == 0.999);
        CHECK(a.weight_decay == 0.0);
        CHECK(default_optimizer(OptimizerKind::adamw, 0.1).weight_decay == 0.01);
    }
    SECTION("the state holds only what the optimizer uses") {
        ParamState s;
        init_state(default_optimizer(OptimizerKind::sgd, 0.1), 4, s);
        CHECK(s.momentum_buffer.empty());
        init_state(default_optimizer(OptimizerKind::momentum, 0.1), 4, s);
        CHECK(s.momentum_buffer.size() == 4);
        CHECK(s.exp_avg.empty());
        OptimizerConfig a = default_optimizer(OptimizerKind::adam, 0.1);
        a.amsgrad = true;
        init_state(a, 4, s);
        CHECK(s.exp_avg.size() == 4);
        CHECK(s.max_exp_avg_sq.size() == 4);
        CHECK(s.momentum_buffer.empty());
        CHECK(effective_rates(a, 0.1, s, 4).empty());  // nothing before the first step
    }
}
