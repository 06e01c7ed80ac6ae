#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "allocations.hpp"
#include "bplab/errors.hpp"
#include "bplab/trainer.hpp"
#include "fixtures.hpp"
#include "helpers.hpp"

using namespace bplab;

namespace {

// The config the WebAssembly test rebuilds from the fixture's "config" field.
TrainerConfig cross_build_config() {
    TrainerConfig c;
    c.seed = 20261127;
    c.features = {Feature::x1, Feature::x2, Feature::x1x2, Feature::sinx1};
    c.layers = {{5, {Activation::tanh}}, {3, {Activation::relu}}, {3, {Activation::softmax}}};
    c.loss = Loss::cce;
    c.optimizer = default_optimizer(OptimizerKind::adam, 0.01);
    c.schedule.kind = ScheduleKind::step;
    c.schedule.step_size = 1;
    c.schedule.gamma = 0.9;
    c.regularization = {Penalty::l2, 0.001};
    c.init = Init::he;
    c.batch_size = 8;
    c.shuffle = true;
    c.dataset = DatasetConfig{DatasetKind::spiral, 200, 0.1, 0.5, 3};
    return c;
}

constexpr const char* cross_build_config_json = R"({
  "seed": 20261127,
  "features": ["x1", "x2", "x1x2", "sinx1"],
  "layers": [{"units": 5, "activation": "tanh"}, {"units": 3, "activation": "relu"}, {"units": 3, "activation": "softmax"}],
  "loss": "cce",
  "optimizer": {"name": "adam", "lr": 0.01},
  "schedule": {"name": "step", "stepSize": 1, "gamma": 0.9},
  "regularization": {"kind": "l2", "rate": 0.001},
  "init": "he",
  "batchSize": 8,
  "shuffle": true,
  "dataset": {"name": "spiral", "samples": 200, "noise": 0.1, "trainRatio": 0.5, "classes": 3}
})";

std::string number(double x) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", x);
    return text;
}

}  // namespace

TEST_CASE("cross-build fixture: weights and heatmaps after 50 steps, for the WebAssembly test to compare") {
    Trainer t(cross_build_config());
    for (int i = 0; i < 50; ++i) REQUIRE_FALSE(t.train_step().diverged);
    REQUIRE(t.cursor().epoch == 3);  // 13 batches per epoch: the schedule has stepped

    std::string json = "{\n\"steps\": 50,\n\"config\": " + std::string(cross_build_config_json) +
                       ",\n\"lr\": " + number(t.learning_rate()) + ",\n\"layers\": [";
    for (std::size_t l = 0; l < t.layer_count(); ++l) {
        json += l ? ",\n" : "\n";
        json += "{\"weights\": [";
        const auto& w = t.layer(l).weights;
        for (std::size_t i = 0; i < w.size(); ++i) json += (i ? ", " : "") + number(w.data()[i]);
        json += "], \"biases\": [";
        const auto& b = t.layer(l).biases;
        for (std::size_t i = 0; i < b.size(); ++i) json += (i ? ", " : "") + number(b.data()[i]);
        json += "]}";
    }
    json += "\n],\n";
    // Every neuron's float32 map of the trained network, for a bit-for-bit match.
    const std::size_t res = 16;
    const std::vector<float>& maps = t.heatmaps(res, -6, 6, -5, 5);
    REQUIRE(maps.size() == (5 + 3 + 3) * res * res);
    json += "\"heatmaps\": {\"res\": 16, \"xMin\": -6, \"xMax\": 6, \"yMin\": -5, \"yMax\": 5, \"values\": [";
    for (std::size_t i = 0; i < maps.size(); ++i) json += (i ? ", " : "") + number(maps[i]);
    json += "]}\n}\n";

    const std::string dir = bplab_test::fixture_dir();
    if (dir.empty()) return;  // run by hand without --fixture-dir: nothing to hand over
    std::ofstream out(dir + "/native-50-steps.json");
    REQUIRE(out.good());
    out << json;
}

// ---- helpers -----------------------------------------------------------------------------

namespace {

using bplab_test::derivative;
using bplab_test::relative_error;

TrainerConfig caller_config(std::size_t inputs, std::vector<LayerSpec> layers, Loss loss,
                            std::size_t batch_size) {
    TrainerConfig c;
    c.seed = 11;
    c.inputs = inputs;
    c.layers = std::move(layers);
    c.loss = loss;
    c.optimizer = default_optimizer(OptimizerKind::sgd, 0.1);
    c.batch_size = batch_size;
    c.shuffle = false;
    return c;
}

// Targets that fit the loss: any numbers for MSE, probabilities (some soft)
// for BCE, rows of a distribution (some one-hot) for CCE.
std::vector<double> make_targets(Loss loss, std::size_t n, std::size_t k, Rng& rng) {
    std::vector<double> y(n * k);
    for (std::size_t r = 0; r < n; ++r) {
        double* yr = y.data() + r * k;
        switch (loss) {
            case Loss::mse:
            case Loss::half_mse:
                for (std::size_t i = 0; i < k; ++i) yr[i] = rng.uniform(-1.0, 1.0);
                break;
            case Loss::bce:
                for (std::size_t i = 0; i < k; ++i) yr[i] = (r + i) % 3 == 0 ? 0.3 : static_cast<double>((r + i) % 2);
                break;
            case Loss::cce: {
                if (r % 2 == 0) {
                    yr[r % k] = 1.0;
                    break;
                }
                double sum = 0.0;
                for (std::size_t i = 0; i < k; ++i) sum += yr[i] = rng.uniform(0.1, 1.0);
                for (std::size_t i = 0; i < k; ++i) yr[i] /= sum;
                break;
            }
        }
    }
    return y;
}

// Runs phases until the update is next: the whole batch's trace is there.
void run_to_update(Trainer& t) {
    while (t.cursor().phase != Phase::update) REQUIRE_FALSE(t.step_phase().diverged);
}

// The loss of one sample written on its output activations, as the course
// writes it: the oracle for the output layer's upstream gradient dl/da.
double loss_of_activation(Loss loss, const double* a, const double* y, std::size_t k) {
    double sum = 0.0;
    for (std::size_t i = 0; i < k; ++i) {
        switch (loss) {
            case Loss::mse: sum += (a[i] - y[i]) * (a[i] - y[i]) / static_cast<double>(k); break;
            case Loss::half_mse: sum += 0.5 * (a[i] - y[i]) * (a[i] - y[i]) / static_cast<double>(k); break;
            case Loss::bce:
                sum -= (y[i] * std::log(a[i]) + (1.0 - y[i]) * std::log(1.0 - a[i])) / static_cast<double>(k);
                break;
            case Loss::cce: sum -= y[i] * std::log(a[i]); break;
        }
    }
    return sum;
}

// The loss of batch row r when layer l's row is replaced by `row` (its z if
// row_is_z, else its a), computed forward through the layers above.
double sample_loss_from(const Trainer& t, std::size_t l, std::size_t r, std::vector<double> row,
                        bool row_is_z) {
    const std::size_t last = t.layer_count() - 1, out = t.layer_sizes().back();
    const double* y = t.train_split().targets.data() + t.batch_indices()[r] * out;
    std::vector<double> z = row, a = row;
    if (row_is_z) activate_rows(t.layer(l).activation, z.data(), a.data(), 1, z.size());
    if (l == last && !row_is_z) return loss_of_activation(t.config().loss, a.data(), y, out);
    for (std::size_t k = l + 1; k <= last; ++k) {
        const DenseLayer& layer = t.layer(k);
        z.assign(layer.units(), 0.0);
        dense_forward(layer, a.data(), 1, z.data());
        a.assign(layer.units(), 0.0);
        activate_rows(layer.activation, z.data(), a.data(), 1, layer.units());
    }
    return sample_loss(t.config().loss, z.data(), a.data(), y, out);
}

struct GradientErrors {
    double weights = 0, biases = 0, downstream = 0, upstream = 0;
    std::string worst;
};

void note(double& worst, double error, std::string& where, const std::string& what) {
    if (error > worst) where = what;
    worst = std::max(worst, error);
}

// Compares every gradient in the trace with finite differences of the loss.
GradientErrors check_gradients(Trainer& t) {
    run_to_update(t);
    GradientErrors e;
    const std::size_t rows = t.batch_rows();
    std::vector<LayerTrace> traces;
    for (std::size_t l = 0; l < t.layer_count(); ++l) traces.push_back(t.trace(l));

    // Per sample: dl/dz and dl/da of every neuron.
    for (std::size_t l = 0; l < t.layer_count(); ++l) {
        const std::size_t units = t.layer_sizes()[l + 1];
        for (std::size_t r = 0; r < rows; ++r) {
            for (std::size_t j = 0; j < units; ++j) {
                for (bool is_z : {true, false}) {
                    const auto& source = is_z ? traces[l].pre_activation : traces[l].activation;
                    std::vector<double> row(source.data() + r * units, source.data() + (r + 1) * units);
                    const double numeric = derivative(
                        [&](double v) {
                            std::vector<double> moved = row;
                            moved[j] = v;
                            return sample_loss_from(t, l, r, moved, is_z);
                        },
                        row[j]);
                    const auto& grads = is_z ? traces[l].downstream_grad : traces[l].upstream_grad;
                    const double error = relative_error(grads.data()[r * units + j], numeric);
                    note(is_z ? e.downstream : e.upstream, error, e.worst,
                         std::string(is_z ? "dl/dz" : "dl/da") + " layer " + std::to_string(l) +
                             " row " + std::to_string(r) + " unit " + std::to_string(j));
                }
            }
        }
    }

    // Batch means: dL/dW and dL/db, against the training loss of the whole batch.
    for (std::size_t l = 0; l < t.layer_count(); ++l) {
        for (bool weights : {true, false}) {
            const DenseLayer& layer = t.layer(l);
            std::vector<double> p = weights ? std::vector<double>(layer.weights.begin(), layer.weights.end())
                                            : std::vector<double>(layer.biases.begin(), layer.biases.end());
            auto set = [&](const std::vector<double>& v) {
                if (weights) t.set_weights(l, v.data(), v.size());
                else t.set_biases(l, v.data(), v.size());
            };
            for (std::size_t i = 0; i < p.size(); ++i) {
                const double numeric = derivative(
                    [&](double v) {
                        std::vector<double> moved = p;
                        moved[i] = v;
                        set(moved);
                        return t.evaluate().train_loss;
                    },
                    p[i]);
                set(p);
                const double analytic = weights ? traces[l].weight_grad.data()[i] : traces[l].bias_grad.data()[i];
                note(weights ? e.weights : e.biases, relative_error(analytic, numeric), e.worst,
                     std::string(weights ? "dW" : "db") + " layer " + std::to_string(l) + " #" + std::to_string(i));
            }
        }
    }
    return e;
}

// Every pre-activation of the batch keeps clear of the kinks at 0.
bool clear_of_kinks(const Trainer& t, double margin) {
    for (std::size_t l = 0; l < t.layer_count(); ++l) {
        const Activation kind = t.layer(l).activation.kind;
        if (kind != Activation::relu && kind != Activation::leaky_relu && kind != Activation::elu) continue;
        const auto& z = t.trace(l).pre_activation;
        for (std::size_t i = 0; i < t.batch_rows() * t.layer_sizes()[l + 1]; ++i)
            if (std::abs(z.data()[i]) < margin) return false;
    }
    return true;
}

Trainer gradient_trainer(std::vector<LayerSpec> layers, Loss loss, std::uint64_t seed) {
    const std::size_t n = 5, inputs = 3, k = layers.back().units;
    TrainerConfig c = caller_config(inputs, std::move(layers), loss, n);
    c.seed = seed;
    Trainer t(c);
    Rng rng(seed);
    std::vector<double> x(n * inputs);
    for (double& v : x) v = rng.uniform(-2.0, 2.0);
    const std::vector<double> y = make_targets(loss, n, k, rng);
    t.set_data(x.data(), y.data(), n);
    return t;
}

bool same_bytes(const xt::xtensor<double, 2>& a, const xt::xtensor<double, 2>& b) {
    return a.shape() == b.shape() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

bool same_bytes(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) { return a == b; }

bool same_weights(const Trainer& a, const Trainer& b) {
    for (std::size_t l = 0; l < a.layer_count(); ++l) {
        if (!same_bytes(a.layer(l).weights, b.layer(l).weights)) return false;
        const auto &x = a.layer(l).biases, &y = b.layer(l).biases;
        if (std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) != 0) return false;
    }
    return true;
}

struct OutputChoice {
    const char* name;
    ActivationSpec activation;
    Loss loss;
    std::size_t units;
};

}  // namespace

// ---- the chain rule against finite differences -----------------------------------------

TEST_CASE("backward pass: every hidden activation with every output activation and loss matches finite differences") {
    const ActivationSpec hidden = GENERATE(values<ActivationSpec>({
        {Activation::linear, 0.0}, {Activation::sigmoid, 0.0}, {Activation::tanh, 0.0},
        {Activation::relu, 0.0}, {Activation::leaky_relu, 0.1}, {Activation::elu, 0.7}}));
    const OutputChoice output = GENERATE(values<OutputChoice>({
        {"mse linear", {Activation::linear, 0.0}, Loss::mse, 2},
        {"mse sigmoid", {Activation::sigmoid, 0.0}, Loss::mse, 2},
        {"mse tanh", {Activation::tanh, 0.0}, Loss::mse, 2},
        {"mse relu", {Activation::relu, 0.0}, Loss::mse, 2},
        {"mse leakyRelu", {Activation::leaky_relu, 0.2}, Loss::mse, 2},
        {"mse elu", {Activation::elu, 1.3}, Loss::mse, 2},
        {"mse softmax", {Activation::softmax, 0.0}, Loss::mse, 3},
        {"half_mse tanh", {Activation::tanh, 0.0}, Loss::half_mse, 1},
        {"half_mse linear", {Activation::linear, 0.0}, Loss::half_mse, 2},
        {"bce sigmoid", {Activation::sigmoid, 0.0}, Loss::bce, 2},
        {"cce softmax", {Activation::softmax, 0.0}, Loss::cce, 3}}));
    INFO("hidden " << to_name(activation_names, hidden.kind) << ", output " << output.name);

    Trainer t = gradient_trainer({{4, hidden}, {output.units, output.activation}}, output.loss, 5);
    run_to_update(t);
    REQUIRE(clear_of_kinks(t, 1e-3));
    const GradientErrors e = check_gradients(t);
    INFO("worst: " << e.worst);
    CHECK(e.weights <= 1e-6);
    CHECK(e.biases <= 1e-6);
    CHECK(e.downstream <= 1e-6);
    CHECK(e.upstream <= 1e-6);
}

TEST_CASE("backward pass: a network with three hidden layers matches finite differences") {
    SECTION("tanh, elu, leaky ReLU into softmax with cross-entropy") {
        Trainer t = gradient_trainer({{5, {Activation::tanh, 0.0}}, {4, {Activation::elu, 1.0}},
                                      {4, {Activation::leaky_relu, 0.05}}, {3, {Activation::softmax, 0.0}}},
                                     Loss::cce, 21);
        run_to_update(t);
        REQUIRE(clear_of_kinks(t, 1e-3));
        const GradientErrors e = check_gradients(t);
        INFO("worst: " << e.worst);
        CHECK(e.weights <= 1e-6);
        CHECK(e.biases <= 1e-6);
        CHECK(e.downstream <= 1e-6);
        CHECK(e.upstream <= 1e-6);
    }
    SECTION("ReLU, sigmoid, tanh into a sigmoid with binary cross-entropy") {
        Trainer t = gradient_trainer({{6, {Activation::relu, 0.0}}, {4, {Activation::sigmoid, 0.0}},
                                      {3, {Activation::tanh, 0.0}}, {1, {Activation::sigmoid, 0.0}}},
                                     Loss::bce, 8);
        run_to_update(t);
        REQUIRE(clear_of_kinks(t, 1e-3));
        const GradientErrors e = check_gradients(t);
        INFO("worst: " << e.worst);
        CHECK(e.weights <= 1e-6);
        CHECK(e.biases <= 1e-6);
        CHECK(e.downstream <= 1e-6);
        CHECK(e.upstream <= 1e-6);
    }
}

TEST_CASE("trace: upstream × local = downstream on element-wise layers, dW is the batch mean of dl/dz · a") {
    Trainer t = gradient_trainer({{4, {Activation::tanh, 0.0}}, {2, {Activation::sigmoid, 0.0}}}, Loss::mse, 3);
    run_to_update(t);
    const std::size_t rows = t.batch_rows();
    for (std::size_t l = 0; l < 2; ++l) {
        const LayerTrace& tr = t.trace(l);
        const std::size_t units = t.layer_sizes()[l + 1], in = t.layer_sizes()[l];
        for (std::size_t i = 0; i < rows * units; ++i)
            CHECK(tr.downstream_grad.data()[i] == Approx(tr.upstream_grad.data()[i] * tr.local_grad.data()[i]).epsilon(1e-14));
        const double* x = t.layer_input(l);
        for (std::size_t j = 0; j < units; ++j)
            for (std::size_t i = 0; i < in; ++i) {
                double mean = 0.0;
                for (std::size_t r = 0; r < rows; ++r) mean += tr.downstream_grad(r, j) * x[r * in + i];
                CHECK(tr.weight_grad(j, i) == Approx(mean / static_cast<double>(rows)).epsilon(1e-13));
            }
    }
}

TEST_CASE("phases run forward layer by layer, then the loss, then backward from the top, then the update") {
    Trainer t = gradient_trainer({{4, {Activation::tanh, 0.0}}, {3, {Activation::relu, 0.0}}, {2, {Activation::linear, 0.0}}},
                                 Loss::mse, 4);
    const std::vector<std::pair<Phase, std::size_t>> expected{
        {Phase::forward, 0}, {Phase::forward, 1}, {Phase::forward, 2}, {Phase::loss, 2},
        {Phase::backward, 2}, {Phase::backward, 1}, {Phase::backward, 0}, {Phase::update, 0}};
    for (std::size_t k = 0; k < expected.size(); ++k) {
        INFO("phase " << k);
        const PhaseResult r = t.step_phase();
        CHECK(r.phase == expected[k].first);
        if (r.phase != Phase::loss && r.phase != Phase::update) CHECK(r.layer == expected[k].second);
        if (r.phase == Phase::forward) {
            CHECK(t.trace(r.layer).forward_done);
            if (r.layer + 1 < 3) CHECK_FALSE(t.trace(r.layer + 1).forward_done);
        }
        if (r.phase == Phase::backward) {
            CHECK(t.trace(r.layer).backward_done);
            if (r.layer > 0) CHECK_FALSE(t.trace(r.layer - 1).backward_done);
        }
    }
    for (std::size_t l = 0; l < 3; ++l) CHECK(t.trace(l).update_done);
    CHECK(t.cursor().phase == Phase::forward);
    CHECK(t.cursor().batch == 0);
    CHECK(t.cursor().epoch == 1);  // 5 samples in one batch: the epoch is over
}

// ---- the course's numbers --------------------------------------------------------------

namespace {

// A softmax layer on one-hot inputs: sample i's logits are column i of W,
// chosen as log p so that the network outputs exactly the probabilities p.
Trainer softmax_table(const std::vector<std::vector<double>>& probabilities, const std::vector<std::size_t>& classes) {
    const std::size_t n = probabilities.size(), k = probabilities.front().size();
    Trainer t(caller_config(n, {{k, {Activation::softmax, 0.0}}}, Loss::cce, n));
    std::vector<double> w(k * n), x(n * n, 0.0), y(n * k, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < k; ++j) w[j * n + i] = std::log(probabilities[i][j]);
        x[i * n + i] = 1.0;
        y[i * k + classes[i]] = 1.0;
    }
    const std::vector<double> b(k, 0.0);
    t.set_weights(0, w.data(), w.size());
    t.set_biases(0, b.data(), b.size());
    t.set_data(x.data(), y.data(), n);
    return t;
}

}  // namespace

TEST_CASE("course: cross-entropy of a 0.9 prediction for the true class is -log(0.9) = 0.105") {
    Trainer t = softmax_table({{0.05, 0.9, 0.05}}, {1});
    const double ce = t.evaluate().train_loss;
    CHECK(ce == Approx(-std::log(0.9)).epsilon(1e-14));
    CHECK(std::round(ce * 1000.0) / 1000.0 == 0.105);
    const std::vector<double> out = t.predict(std::vector<double>{1.0}.data(), 1);
    CHECK(out[1] == Approx(0.9).epsilon(1e-14));
}

TEST_CASE("course: two 3-sample softmax examples with the same 66.6 % accuracy and different cross-entropy") {
    // Sample 1's true class is 3 but class 1 gets the highest probability; the others are right.
    const std::vector<std::size_t> classes{2, 1, 2};
    const std::vector<std::vector<double>> first{{0.4, 0.3, 0.3}, {0.3, 0.4, 0.3}, {0.3, 0.3, 0.4}};
    const std::vector<std::vector<double>> second{{0.4, 0.25, 0.35}, {0.1, 0.8, 0.1}, {0.1, 0.1, 0.8}};
    const Evaluation a = softmax_table(first, classes).evaluate();
    const Evaluation b = softmax_table(second, classes).evaluate();
    CHECK(a.train_accuracy == Approx(2.0 / 3.0).epsilon(1e-15));
    CHECK(b.train_accuracy == Approx(2.0 / 3.0).epsilon(1e-15));
    CHECK(std::floor(a.train_accuracy * 1000.0) / 10.0 == 66.6);
    // CE = mean over samples of -log(probability of the true class)
    CHECK(a.train_loss == Approx(-(std::log(0.3) + std::log(0.4) + std::log(0.4)) / 3.0).epsilon(1e-14));
    CHECK(b.train_loss == Approx(-(std::log(0.35) + std::log(0.8) + std::log(0.8)) / 3.0).epsilon(1e-14));
    CHECK(std::abs(a.train_loss - b.train_loss) > 0.1);
}

// ---- learning -----------------------------------------------------------------------------

TEST_CASE("XOR: a 2-4-1 tanh network learns all four points") {
    TrainerConfig c = caller_config(2, {{4, {Activation::tanh, 0.0}}, {1, {Activation::sigmoid, 0.0}}}, Loss::bce, 4);
    c.seed = 3;
    c.optimizer = default_optimizer(OptimizerKind::adam, 0.05);
    Trainer t(c);
    const std::vector<double> x{0, 0, 0, 1, 1, 0, 1, 1}, y{0, 1, 1, 0};
    t.set_data(x.data(), y.data(), 4);
    const double before = t.evaluate().train_loss;
    for (int epoch = 0; epoch < 400; ++epoch) REQUIRE_FALSE(t.train_epoch().diverged);
    const Evaluation e = t.evaluate();
    CHECK(e.train_accuracy == 1.0);
    CHECK(e.train_loss < 0.05 * before);
}

TEST_CASE("spiral: three arms are learned above 90 % accuracy") {
    TrainerConfig c;
    c.seed = 7;
    c.features = {Feature::x1, Feature::x2, Feature::sinx1, Feature::sinx2};
    c.layers = {{16, {Activation::tanh, 0.0}}, {16, {Activation::tanh, 0.0}}, {3, {Activation::softmax, 0.0}}};
    c.loss = Loss::cce;
    c.optimizer = default_optimizer(OptimizerKind::adam, 0.01);
    c.batch_size = 10;
    c.dataset = DatasetConfig{DatasetKind::spiral, 300, 0.0, 0.8, 3};
    Trainer t(c);
    for (int epoch = 0; epoch < 300; ++epoch) REQUIRE_FALSE(t.train_epoch().diverged);
    const Evaluation e = t.evaluate();
    CHECK(e.train_accuracy > 0.9);
    CHECK(e.test_accuracy > 0.8);
}

// ---- determinism -----------------------------------------------------------------------

TEST_CASE("the same seed gives identical weights, data and training, another seed does not") {
    TrainerConfig c = cross_build_config();
    Trainer a(c), b(c);
    REQUIRE(same_weights(a, b));
    CHECK(a.train_split().points == b.train_split().points);
    for (int i = 0; i < 30; ++i) {
        a.train_step();
        b.train_step();
    }
    CHECK(same_weights(a, b));
    CHECK(same_bytes(a.snapshot(), b.snapshot()));
    c.seed += 1;
    Trainer other(c);
    CHECK_FALSE(same_weights(Trainer(cross_build_config()), other));
}

// ---- numerical safety ------------------------------------------------------------------

TEST_CASE("logits of ±1000 give finite losses and gradients") {
    SECTION("softmax with cross-entropy, the true class at -1000") {
        Trainer t(caller_config(1, {{3, {Activation::softmax, 0.0}}}, Loss::cce, 1));
        const std::vector<double> w{1000.0, -1000.0, 0.0}, b{0.0, 0.0, 0.0}, x{1.0}, y{0.0, 1.0, 0.0};
        t.set_weights(0, w.data(), 3);
        t.set_biases(0, b.data(), 3);
        t.set_data(x.data(), y.data(), 1);
        run_to_update(t);
        CHECK(t.batch_loss() == Approx(2000.0).epsilon(1e-15));  // logsumexp(z) - z_true
        const LayerTrace& tr = t.trace(0);
        CHECK(tr.downstream_grad(0, 0) == Approx(1.0).epsilon(1e-15));  // p - y
        CHECK(tr.downstream_grad(0, 1) == Approx(-1.0).epsilon(1e-15));
        CHECK(tr.downstream_grad(0, 2) == 0.0);
        for (double g : tr.weight_grad) CHECK(std::isfinite(g));
        CHECK_FALSE(t.step_phase().diverged);
        for (double v : t.layer(0).weights) CHECK(std::isfinite(v));
    }
    SECTION("sigmoid with binary cross-entropy, wrong by a logit of 1000 either way") {
        Trainer t(caller_config(1, {{2, {Activation::sigmoid, 0.0}}}, Loss::bce, 1));
        const std::vector<double> w{1000.0, -1000.0}, b{0.0, 0.0}, x{1.0}, y{0.0, 1.0};
        t.set_weights(0, w.data(), 2);
        t.set_biases(0, b.data(), 2);
        t.set_data(x.data(), y.data(), 1);
        run_to_update(t);
        CHECK(t.batch_loss() == Approx(1000.0).epsilon(1e-15));  // mean of softplus(1000) twice
        const LayerTrace& tr = t.trace(0);
        CHECK(tr.downstream_grad(0, 0) == Approx(0.5).epsilon(1e-15));  // (p - y) / 2 outputs
        CHECK(tr.downstream_grad(0, 1) == Approx(-0.5).epsilon(1e-15));
        for (double g : tr.weight_grad) CHECK(std::isfinite(g));
        CHECK(t.evaluate().train_loss == Approx(1000.0).epsilon(1e-15));
        CHECK_FALSE(t.step_phase().diverged);
    }
    SECTION("right by a logit of 1000: the loss is 0, not NaN") {
        Trainer t(caller_config(1, {{3, {Activation::softmax, 0.0}}}, Loss::cce, 1));
        const std::vector<double> w{1000.0, -1000.0, 0.0}, x{1.0}, y{1.0, 0.0, 0.0};
        t.set_weights(0, w.data(), 3);
        t.set_data(x.data(), y.data(), 1);
        run_to_update(t);
        CHECK(t.batch_loss() == 0.0);
        for (double g : t.trace(0).downstream_grad) CHECK(std::isfinite(g));
    }
}

namespace {

// One linear unit with MSE and plain SGD at lr 1000 on one sample: a
// harmless first sample, then x = 1e153 (the update overflows) or x = 1e200
// (the loss overflows).
Trainer runaway(double x_big) {
    TrainerConfig c = caller_config(1, {{1, {Activation::linear, 0.0}}}, Loss::mse, 1);
    c.optimizer = default_optimizer(OptimizerKind::momentum, 1000.0);
    Trainer t(c);
    const std::vector<double> w{0.1}, x{0.001, x_big}, y{0.0, 0.0};
    t.set_weights(0, w.data(), 1);
    t.set_data(x.data(), y.data(), 2);
    return t;
}

}  // namespace

TEST_CASE("divergence is reported and leaves everything as it was before the call") {
    const double x_big = GENERATE(1e153, 1e200);
    const Phase failing = x_big == 1e153 ? Phase::update : Phase::loss;
    INFO("x = " << x_big);

    SECTION("train_step") {
        Trainer t = runaway(x_big);
        REQUIRE_FALSE(t.train_step().diverged);  // the harmless sample
        const auto before = t.snapshot();
        const auto weights = t.layer(0).weights;
        const auto momentum = t.optimizer_state(0).weights.momentum_buffer;
        const Cursor cursor = t.cursor();
        const BatchResult r = t.train_step();
        CHECK(r.diverged);
        CHECK(same_bytes(t.snapshot(), before));
        CHECK(same_bytes(t.layer(0).weights, weights));
        CHECK(t.optimizer_state(0).weights.momentum_buffer == momentum);
        CHECK(t.cursor().phase == cursor.phase);
        CHECK(t.cursor().batch == cursor.batch);
        CHECK(t.cursor().epoch == cursor.epoch);
        CHECK(t.batch_indices() == std::vector<std::uint32_t>{0});  // the previous batch's trace is back
        CHECK(t.train_step().diverged);  // and it stays put
        CHECK(same_bytes(t.snapshot(), before));
    }
    SECTION("step_phase: the phase that overflows") {
        Trainer t = runaway(x_big);
        REQUIRE_FALSE(t.train_step().diverged);
        while (t.cursor().phase != failing) REQUIRE_FALSE(t.step_phase().diverged);
        const auto before = t.snapshot();
        const PhaseResult r = t.step_phase();
        CHECK(r.diverged);
        CHECK(r.phase == failing);
        CHECK(t.cursor().phase == failing);
        CHECK(same_bytes(t.snapshot(), before));
    }
    SECTION("train_epoch: the batches before the diverging one stay applied") {
        Trainer t = runaway(x_big), twin = runaway(x_big);
        REQUIRE_FALSE(twin.train_step().diverged);
        const EpochResult r = t.train_epoch();
        CHECK(r.diverged);
        CHECK(r.epoch == 0);
        CHECK(t.cursor().batch == 1);
        CHECK(same_bytes(t.snapshot(), twin.snapshot()));
    }
}

TEST_CASE("a finite batch loss that would make the epoch's mean loss overflow is a divergence too") {
    // Each sample's loss is (1e154)² = 1e308, finite; two of them do not fit in a double.
    TrainerConfig c = caller_config(1, {{1, {Activation::linear, 0.0}}}, Loss::mse, 1);
    c.optimizer = default_optimizer(OptimizerKind::sgd, 1e-300);
    Trainer t(c);
    const std::vector<double> w{1e154}, b{0.0}, x{1.0, 1.0}, y{0.0, 0.0};
    t.set_weights(0, w.data(), 1);
    t.set_biases(0, b.data(), 1);
    t.set_data(x.data(), y.data(), 2);
    const BatchResult first = t.train_step();
    REQUIRE_FALSE(first.diverged);
    CHECK(first.loss == 1e308);
    const auto before = t.snapshot();
    const EpochResult r = t.train_epoch();
    CHECK(r.diverged);  // never an epoch loss of infinity
    CHECK(t.cursor().batch == 1);
    CHECK(same_bytes(t.snapshot(), before));
}

// ---- batches and epochs ----------------------------------------------------------------

TEST_CASE("the last batch of an epoch is the smaller remainder, and the epoch loss weighs every sample once") {
    TrainerConfig c = caller_config(2, {{3, {Activation::tanh, 0.0}}, {1, {Activation::linear, 0.0}}}, Loss::mse, 3);
    c.optimizer = default_optimizer(OptimizerKind::sgd, 0.05);
    Trainer t(c);
    Rng rng(4);
    std::vector<double> x(14), y(7);
    for (double& v : x) v = rng.uniform(-1.0, 1.0);
    for (double& v : y) v = rng.uniform(-3.0, 3.0);
    t.set_data(x.data(), y.data(), 7);
    REQUIRE(t.cursor().batches_per_epoch == 3);

    std::vector<std::size_t> rows;
    std::vector<double> losses;
    double weighted = 0.0;
    for (int b = 0; b < 3; ++b) {
        const BatchResult r = t.train_step();
        REQUIRE_FALSE(r.diverged);
        rows.push_back(t.batch_rows());
        losses.push_back(r.loss);
        weighted += r.loss * static_cast<double>(t.batch_rows());
    }
    CHECK(rows == std::vector<std::size_t>{3, 3, 1});
    CHECK(t.batch_indices() == std::vector<std::uint32_t>{6});
    CHECK(t.cursor().epoch == 1);
    // The one-sample batch's gradient is that sample's own: dl/dz · a, not divided by 3.
    const LayerTrace& top = t.trace(1);
    for (std::size_t i = 0; i < 3; ++i)
        CHECK(top.weight_grad(0, i) == Approx(top.downstream_grad(0, 0) * t.layer_input(1)[i]).epsilon(1e-15));

    Trainer again(c);
    again.set_data(x.data(), y.data(), 7);
    const EpochResult e = again.train_epoch();
    CHECK(e.loss == Approx(weighted / 7.0).epsilon(1e-14));
    CHECK(std::abs(e.loss - (losses[0] + losses[1] + losses[2]) / 3.0) > 1e-6);  // not the mean of batch means
}

TEST_CASE("shuffling is seeded and reorders every epoch, without it batches go in order") {
    TrainerConfig c = caller_config(1, {{1, {Activation::linear, 0.0}}}, Loss::mse, 4);
    std::vector<double> x(10), y(10, 0.0);
    for (std::size_t i = 0; i < 10; ++i) x[i] = static_cast<double>(i);
    auto epoch_orders = [&](bool shuffle, std::uint64_t seed) {
        c.shuffle = shuffle;
        c.seed = seed;
        Trainer t(c);
        t.set_data(x.data(), y.data(), 10);
        std::vector<std::vector<std::uint32_t>> orders;
        for (int e = 0; e < 3; ++e) {
            std::vector<std::uint32_t> order;
            for (int b = 0; b < 3; ++b) {
                t.train_step();
                order.insert(order.end(), t.batch_indices().begin(), t.batch_indices().end());
            }
            orders.push_back(order);
        }
        return orders;
    };
    const auto plain = epoch_orders(false, 1);
    std::vector<std::uint32_t> identity(10);
    for (std::uint32_t i = 0; i < 10; ++i) identity[i] = i;
    for (const auto& order : plain) CHECK(order == identity);

    const auto shuffled = epoch_orders(true, 1);
    for (const auto& order : shuffled) {
        std::vector<std::uint32_t> sorted = order;
        std::sort(sorted.begin(), sorted.end());
        CHECK(sorted == identity);  // every sample once per epoch
    }
    CHECK(shuffled[0] != shuffled[1]);
    CHECK(shuffled[1] != shuffled[2]);
    CHECK(epoch_orders(true, 1) == shuffled);
    CHECK(epoch_orders(true, 2) != shuffled);
}

TEST_CASE("epoch_orders tells the coming epochs' orders without disturbing training") {
    TrainerConfig c = caller_config(1, {{1, {Activation::linear, 0.0}}}, Loss::mse, 4);
    std::vector<double> x(10), y(10, 0.0);
    for (std::size_t i = 0; i < 10; ++i) x[i] = static_cast<double>(i);
    for (const bool shuffle : {true, false}) {
        c.shuffle = shuffle;
        Trainer t(c);
        t.set_data(x.data(), y.data(), 10);
        t.train_step();  // mid-epoch: the current epoch's order comes first all the same
        const auto told = t.epoch_orders(4);
        REQUIRE(told.size() == 4);
        CHECK(t.epoch_orders(0).empty());
        CHECK(t.epoch_orders(4) == told);  // asking twice draws nothing from the real generator
        std::vector<std::uint32_t> seen(t.batch_indices());
        for (std::size_t e = 0; e < 4; ++e) {
            while (seen.size() < 10) {
                t.train_step();
                seen.insert(seen.end(), t.batch_indices().begin(), t.batch_indices().end());
            }
            CHECK(seen == told[e]);
            seen.clear();
        }
        if (shuffle) CHECK(told[1] != told[2]);
    }
}

TEST_CASE("the schedule steps once per epoch and each update uses its epoch's rate") {
    TrainerConfig c = caller_config(1, {{1, {Activation::linear, 0.0}}}, Loss::mse, 2);
    c.optimizer = default_optimizer(OptimizerKind::sgd, 0.1);
    c.schedule.kind = ScheduleKind::step;
    c.schedule.step_size = 2;
    c.schedule.gamma = 0.5;
    Trainer t(c);
    const std::vector<double> x{1, 2, 3, 4, 5}, y{0, 1, 0, 1, 0};
    t.set_data(x.data(), y.data(), 5);  // 3 batches per epoch
    const std::vector<double> rates{0.1, 0.1, 0.05, 0.05, 0.025};
    for (std::size_t e = 0; e < rates.size(); ++e) {
        INFO("epoch " << e);
        CHECK(t.learning_rate() == Approx(rates[e]).epsilon(1e-15));
        for (int b = 0; b < 3; ++b) {
            t.train_step();
            CHECK(t.update_learning_rate() == Approx(rates[e]).epsilon(1e-15));
        }
    }
}

namespace {

// A linear unit on the plane dataset, trained towards 3 everywhere while the test split keeps
// its own targets (x1 + x2) / 10, within ±1.2: every epoch the training loss falls and the
// test loss rises. One batch per epoch; ReduceLROnPlateau with patience 0 and threshold 0
// halves the rate after any epoch whose metric is not below the best so far.
Trainer plateau_trainer(PlateauMetric metric, double train_ratio) {
    TrainerConfig c;
    c.features = {Feature::x1, Feature::x2};
    c.layers = {{1, {Activation::linear, 0.0}}};
    c.optimizer = default_optimizer(OptimizerKind::sgd, 0.01);
    c.schedule = default_schedule(ScheduleKind::plateau);
    c.schedule.patience = 0;
    c.schedule.threshold = 0.0;
    c.schedule.factor = 0.5;
    c.schedule.metric = metric;
    c.batch_size = 20;
    c.shuffle = false;
    c.dataset = DatasetConfig{DatasetKind::plane, 40, 0.0, train_ratio, 2};
    Trainer t(c);
    const Split train = t.train_split();
    const std::vector<double> y(train.size(), 3.0), zero{0.0, 0.0}, bias{0.0};
    t.set_data(train.points.data(), y.data(), train.size());
    t.set_weights(0, zero.data(), 2);
    t.set_biases(0, bias.data(), 1);
    return t;
}

// The rate after each of three epochs, and whether the losses moved as the setup says.
std::vector<double> plateau_rates(Trainer& t, bool& losses_as_planned) {
    std::vector<double> rates;
    double train_before = INFINITY, test_before = -INFINITY;
    losses_as_planned = true;
    for (int e = 0; e < 3; ++e) {
        const EpochResult r = t.train_epoch();
        const Evaluation after = t.evaluate();
        losses_as_planned = losses_as_planned && !r.diverged && r.loss < train_before &&
                            (std::isnan(after.test_loss) || after.test_loss > test_before);
        train_before = r.loss;
        test_before = after.test_loss;
        rates.push_back(t.learning_rate());
    }
    return rates;
}

}  // namespace

TEST_CASE("ReduceLROnPlateau watches the test loss, or the epoch's training loss, as the schedule says") {
    bool as_planned = false;
    SECTION("the test loss rises after the first epoch: the rate halves after epochs 2 and 3") {
        Trainer t = plateau_trainer(PlateauMetric::test, 0.5);
        REQUIRE(t.test_split().size() == 20);
        const std::vector<double> rates = plateau_rates(t, as_planned);
        REQUIRE(as_planned);
        CHECK(rates == std::vector<double>{0.01, 0.005, 0.0025});
    }
    SECTION("the training loss falls every epoch: the rate stays") {
        Trainer t = plateau_trainer(PlateauMetric::train, 0.5);
        const std::vector<double> rates = plateau_rates(t, as_planned);
        REQUIRE(as_planned);
        CHECK(rates == std::vector<double>{0.01, 0.01, 0.01});
    }
    SECTION("without a test split the test metric is the training loss") {
        Trainer t = plateau_trainer(PlateauMetric::test, 1.0);
        REQUIRE(t.test_split().size() == 0);
        const std::vector<double> rates = plateau_rates(t, as_planned);
        REQUIRE(as_planned);
        CHECK(rates == std::vector<double>{0.01, 0.01, 0.01});
    }
}

TEST_CASE("a snapshot holds the metric's effect, and refuses a trainer that watches the other one") {
    Trainer t = plateau_trainer(PlateauMetric::test, 0.5);
    REQUIRE_FALSE(t.train_epoch().diverged);
    REQUIRE_FALSE(t.train_epoch().diverged);
    const auto bytes = t.snapshot();
    Trainer same = plateau_trainer(PlateauMetric::test, 0.5);
    same.restore(bytes.data(), bytes.size());
    CHECK(same.learning_rate() == 0.005);
    Trainer other = plateau_trainer(PlateauMetric::train, 0.5);
    CHECK_THROWS_WITH(other.restore(bytes.data(), bytes.size()), Catch::Matchers::Contains("different settings"));
}

TEST_CASE("L1 and L2 penalties add to the weights' gradient, never the biases'") {
    const Penalty kind = GENERATE(Penalty::l1, Penalty::l2);
    TrainerConfig c = caller_config(2, {{3, {Activation::tanh, 0.0}}, {1, {Activation::linear, 0.0}}}, Loss::mse, 4);
    c.optimizer = default_optimizer(OptimizerKind::sgd, 0.5);
    c.regularization = {kind, 0.1};
    Trainer t(c);
    const std::vector<double> x{1, 2, -1, 0.5, 0.3, -2, 1.5, 1}, y{1, -1, 0.5, 0};
    t.set_data(x.data(), y.data(), 4);
    REQUIRE_FALSE(t.train_step().diverged);
    for (std::size_t l = 0; l < 2; ++l) {
        const LayerTrace& tr = t.trace(l);
        for (std::size_t i = 0; i < tr.weights_before.size(); ++i) {
            const double w = tr.weights_before.data()[i];
            const double penalty = kind == Penalty::l2 ? 0.1 * w : 0.1 * (w > 0 ? 1.0 : -1.0);
            CHECK(tr.penalty_grad.data()[i] == Approx(penalty).epsilon(1e-15));
            // SGD: w ← w − lr (dL/dw + penalty)
            CHECK(tr.weight_update.data()[i] == Approx(-0.5 * (tr.weight_grad.data()[i] + penalty)).epsilon(1e-12).margin(1e-15));
        }
        for (std::size_t j = 0; j < tr.bias_grad.size(); ++j)
            CHECK(tr.bias_update(j) == Approx(-0.5 * tr.bias_grad(j)).epsilon(1e-12).margin(1e-15));
    }
}

// ---- snapshots -------------------------------------------------------------------------

TEST_CASE("snapshot and restore: continuing from a restored snapshot gives bit-identical weights") {
    const int phases = GENERATE(0, 3, 6);  // at a batch boundary, after the loss, inside the backward pass
    INFO("phases into the batch: " << phases);
    Trainer a(cross_build_config()), b(cross_build_config());
    for (int i = 0; i < 7; ++i) a.train_step();
    for (int i = 0; i < phases; ++i) a.step_phase();
    const auto saved = a.snapshot();
    for (int i = 0; i < 20; ++i) a.train_step();

    for (int i = 0; i < 3; ++i) b.train_step();
    b.restore(saved.data(), saved.size());
    CHECK(same_bytes(b.snapshot(), saved));
    for (int i = 0; i < 20; ++i) b.train_step();
    CHECK(same_weights(a, b));
    CHECK(same_bytes(a.snapshot(), b.snapshot()));
    CHECK(a.learning_rate() == b.learning_rate());
}

TEST_CASE("a damaged, truncated or foreign snapshot is refused and changes nothing") {
    Trainer t(cross_build_config());
    for (int i = 0; i < 5; ++i) t.train_step();
    const auto good = t.snapshot();
    for (int i = 0; i < 3; ++i) t.train_step();
    const auto current = t.snapshot();
    auto refused = [&](std::vector<std::uint8_t> bytes) {
        bool threw = false;
        try {
            t.restore(bytes.data(), bytes.size());
        } catch (const LabError& e) {
            threw = e.code() == "bad_snapshot";
        }
        return threw && same_bytes(t.snapshot(), current);
    };

    SECTION("any byte changed") {
        for (std::size_t i = 0; i < good.size(); i += 37) {
            auto bytes = good;
            bytes[i] ^= 0x10;
            INFO("byte " << i);
            CHECK(refused(bytes));
        }
    }
    SECTION("truncated or extended") {
        CHECK(refused({}));
        CHECK(refused(std::vector<std::uint8_t>(good.begin(), good.begin() + 20)));
        CHECK(refused(std::vector<std::uint8_t>(good.begin(), good.end() - 1)));
        CHECK(refused(std::vector<std::uint8_t>(good.begin(), good.begin() + good.size() / 2)));
        auto longer = good;
        longer.push_back(0);
        CHECK(refused(longer));
    }
    SECTION("from a trainer with other layers, optimizer, rate or data") {
        TrainerConfig c = cross_build_config();
        c.layers[0].units = 6;
        CHECK(refused(Trainer(c).snapshot()));
        c = cross_build_config();
        c.optimizer = default_optimizer(OptimizerKind::rmsprop, 0.01);
        CHECK(refused(Trainer(c).snapshot()));
        c = cross_build_config();
        c.optimizer.lr = 0.02;
        CHECK(refused(Trainer(c).snapshot()));
        c = cross_build_config();
        c.layers[1].activation.kind = Activation::tanh;
        CHECK(refused(Trainer(c).snapshot()));
        c = cross_build_config();
        c.seed += 1;  // other points
        CHECK(refused(Trainer(c).snapshot()));
    }
    SECTION("the original still restores") {
        t.restore(good.data(), good.size());
        CHECK(same_bytes(t.snapshot(), good));
    }
}

// ---- heatmaps --------------------------------------------------------------------------

TEST_CASE("heatmaps: every neuron at the cell centres, as predict gives it, in a buffer that is reused") {
    TrainerConfig c;
    c.seed = 9;
    c.features = {Feature::x1, Feature::x2, Feature::x1sq, Feature::sinx2};
    c.layers = {{3, {Activation::tanh, 0.0}}, {3, {Activation::softmax, 0.0}}};
    c.loss = Loss::cce;
    c.dataset = DatasetConfig{DatasetKind::blobs, 60, 0.1, 0.5, 3};
    Trainer t(c);
    for (int i = 0; i < 4; ++i) t.train_step();

    const std::size_t res = 9, cells = res * res;
    const double x_min = -6, x_max = 6, y_min = -5, y_max = 4;
    std::vector<double> centres;
    for (std::size_t row = 0; row < res; ++row)
        for (std::size_t col = 0; col < res; ++col) {
            centres.push_back(x_min + (col + 0.5) * (x_max - x_min) / res);
            centres.push_back(y_max - (row + 0.5) * (y_max - y_min) / res);
        }
    const std::vector<float>& maps = t.heatmaps(res, x_min, x_max, y_min, y_max);
    REQUIRE(maps.size() == 6 * cells);
    const std::vector<double> predicted = t.predict(centres.data(), cells);
    const DenseLayer& hidden = t.layer(0);
    for (std::size_t cell = 0; cell < cells; ++cell) {
        const double x1 = centres[2 * cell], x2 = centres[2 * cell + 1];
        const double features[4] = {x1, x2, x1 * x1, std::sin(x2)};
        for (std::size_t j = 0; j < 3; ++j) {
            double z = hidden.biases(j);
            for (std::size_t i = 0; i < 4; ++i) z += hidden.weights(j, i) * features[i];
            CHECK(maps[j * cells + cell] == Approx(std::tanh(z)).margin(1e-5));  // computed in float
            CHECK(maps[(3 + j) * cells + cell] == Approx(predicted[cell * 3 + j]).margin(1e-5));
        }
    }

    const float* first = maps.data();
    t.train_step();
    bplab_test::CountAllocations counter;
    const std::vector<float>& again = t.heatmaps(res, x_min, x_max, y_min, y_max);
    const std::vector<float>& smaller = t.heatmaps(res - 2, x_min, x_max, y_min, y_max);
    t.input_heatmaps(res, x_min, x_max, y_min, y_max);
    CHECK(counter.count() == 0);
    CHECK(again.data() == first);
    CHECK(smaller.data() == first);
}

TEST_CASE("heatmaps and predict refuse what they cannot draw") {
    Trainer t(caller_config(3, {{2, {Activation::tanh, 0.0}}}, Loss::mse, 1));
    CHECK_THROWS_AS(t.heatmaps(10, -1, 1, -1, 1), LabError);  // three inputs are not a plane
    Trainer plane(cross_build_config());
    CHECK_THROWS_AS(plane.heatmaps(0, -1, 1, -1, 1), LabError);
    CHECK_THROWS_AS(plane.heatmaps(10, 1, -1, -1, 1), LabError);
    CHECK_THROWS_AS(plane.heatmaps(10, -1, 1, -1, NAN), LabError);
    const double bad[2] = {0.0, NAN};
    CHECK_THROWS_AS(plane.predict(bad, 1), LabError);
    const std::vector<double> many(2 * (Limits::max_points + 1), 0.0);
    CHECK_THROWS_WITH(plane.predict(many.data(), Limits::max_points + 1),
                      Catch::Matchers::Contains("points per call"));
}

namespace {

// The code and field of the LabError that call throws; empty when it throws none.
using Refusal = std::pair<std::string, std::string>;

template <class Call>
Refusal refusal_of(Call call) {
    try {
        call();
    } catch (const LabError& e) {
        return {e.code(), e.field()};
    }
    return {};
}

}  // namespace

TEST_CASE("maps that leave float32 are refused, naming the plane's bound or the weights at fault") {
    // x1² of 1e20 is 1e40, past float32's 3.4e38: the plane's own features overflow, and the bound
    // farthest from 0 is named, for the inputs' maps and for every neuron's.
    const std::vector<LayerSpec> linear = {{2, {Activation::linear, 0.0}}, {1, {Activation::linear, 0.0}}};
    TrainerConfig c = caller_config(2, linear, Loss::mse, 1);
    c.inputs = 0;
    c.features = {Feature::x1, Feature::x2, Feature::x1sq};
    Trainer t(c);
    t.heatmaps(4, -1, 1, -1, 1);
    CHECK(refusal_of([&] { t.require_finite_heatmaps(false); }).first.empty());
    t.input_heatmaps(4, -1, 1e20, -2, 1);
    CHECK(refusal_of([&] { t.require_finite_heatmaps(true); }) == Refusal{"out_of_range", "xMax"});
    t.heatmaps(4, -3e19, 1, -2, 1);
    CHECK(refusal_of([&] { t.require_finite_heatmaps(false); }) == Refusal{"out_of_range", "xMin"});

    // Finite inputs, weights of 3e38: z = 3e38·x1 + 3e38·x2 + … overflows float32 over (1, 2)²
    // though every number the weights hold is finite: the weights are at fault.
    Trainer plain(caller_config(2, linear, Loss::mse, 1));
    const std::vector<double> huge(4, 3e38);
    plain.set_weights(0, huge.data(), huge.size());
    plain.heatmaps(4, 1, 2, 1, 2);
    CHECK(refusal_of([&] { plain.require_finite_heatmaps(false); }) == Refusal{"diverged", "weights"});
    plain.input_heatmaps(4, 1, 2, 1, 2);
    CHECK(refusal_of([&] { plain.require_finite_heatmaps(true); }).first.empty());  // the inputs themselves are fine
}

namespace {

// x1, x2 of each cell centre of a res × res grid: rows from y_max down, columns from x_min across.
std::vector<double> cell_centres(std::size_t res, double x_min, double x_max, double y_min, double y_max) {
    std::vector<double> centres;
    for (std::size_t row = 0; row < res; ++row)
        for (std::size_t col = 0; col < res; ++col) {
            centres.push_back(x_min + (col + 0.5) * (x_max - x_min) / res);
            centres.push_back(y_max - (row + 0.5) * (y_max - y_min) / res);
        }
    return centres;
}

// Every neuron's activation at one point, layer after layer in double: the
// oracle for the float grid. z_j = b_j + Σ_i W[j][i] a_i, then f(z).
std::vector<double> neurons_at(const Trainer& t, double x1, double x2) {
    std::vector<double> a(t.layer_sizes().front()), all;
    compute_features(t.config().features, x1, x2, a.data());
    for (std::size_t l = 0; l < t.layer_count(); ++l) {
        const DenseLayer& layer = t.layer(l);
        std::vector<double> z(layer.units()), next(layer.units());
        for (std::size_t j = 0; j < layer.units(); ++j) {
            z[j] = layer.biases(j);
            for (std::size_t i = 0; i < layer.inputs(); ++i) z[j] += layer.weights(j, i) * a[i];
            next[j] = activate(layer.activation, z[j]);
        }
        if (layer.activation.kind == Activation::softmax) softmax_row(z.data(), next.data(), z.size());
        all.insert(all.end(), next.begin(), next.end());
        a = next;
    }
    return all;
}

// The largest |heatmap − double forward pass| over every neuron and cell.
double worst_heatmap_error(Trainer& t, std::size_t res, double x_min, double x_max, double y_min, double y_max) {
    const std::vector<float>& maps = t.heatmaps(res, x_min, x_max, y_min, y_max);
    const std::vector<double> centres = cell_centres(res, x_min, x_max, y_min, y_max);
    const std::size_t cells = res * res;
    double worst = 0.0;
    for (std::size_t cell = 0; cell < cells; ++cell) {
        const std::vector<double> expected = neurons_at(t, centres[2 * cell], centres[2 * cell + 1]);
        REQUIRE(maps.size() == expected.size() * cells);
        for (std::size_t n = 0; n < expected.size(); ++n) {
            const double error = std::abs(maps[n * cells + cell] - expected[n]);
            worst = std::isnan(error) ? INFINITY : std::max(worst, error);
        }
    }
    return worst;
}

}  // namespace

TEST_CASE("heatmaps: float32 within 1e-5 of the double forward pass and of predict, for every activation") {
    const Activation kind = GENERATE(Activation::linear, Activation::sigmoid, Activation::tanh, Activation::relu,
                                     Activation::leaky_relu, Activation::elu, Activation::softmax);
    INFO(to_name(activation_names, kind));
    const bool softmax = kind == Activation::softmax;
    const ActivationSpec hidden{softmax ? Activation::tanh : kind, default_alpha(softmax ? Activation::tanh : kind)};
    TrainerConfig c;
    c.seed = 21;
    c.features = {Feature::x1, Feature::x2, Feature::x1x2, Feature::sinx1};
    c.layers = {{6, hidden}, {5, hidden}, {softmax ? 3u : 2u, {kind, default_alpha(kind)}}};
    c.loss = softmax ? Loss::cce : Loss::mse;
    c.optimizer = default_optimizer(OptimizerKind::adam, 0.01);
    c.init = Init::he;
    c.dataset = DatasetConfig{DatasetKind::spiral, 200, 0.1, 0.5, softmax ? 3u : 2u};
    Trainer t(c);
    for (int i = 0; i < 30; ++i) REQUIRE_FALSE(t.train_step().diverged);

    // 37² = 1369 cells: ten whole blocks of 128 and a last one of 89.
    const std::size_t res = 37, cells = res * res;
    const double x_min = -6, x_max = 6, y_min = -5, y_max = 5.5;
    const double worst = worst_heatmap_error(t, res, x_min, x_max, y_min, y_max);
    INFO("worst |heatmap - double| over every neuron: " << worst);
    CHECK(worst <= 1e-5);

    const std::vector<double> centres = cell_centres(res, x_min, x_max, y_min, y_max);
    const std::vector<double> predicted = t.predict(centres.data(), cells);
    const std::vector<float>& maps = t.heatmaps(res, x_min, x_max, y_min, y_max);
    const std::size_t out = c.layers.back().units, first_output = 6 + 5;
    double worst_output = 0.0;
    for (std::size_t cell = 0; cell < cells; ++cell)
        for (std::size_t k = 0; k < out; ++k)
            worst_output = std::max(worst_output,
                                    std::abs(maps[(first_output + k) * cells + cell] - predicted[cell * out + k]));
    INFO("worst |heatmap - predict| of the outputs: " << worst_output);
    CHECK(worst_output <= 1e-5);
}

TEST_CASE("heatmaps of a network gone far: saturated as in double, and never a crash") {
    TrainerConfig c;
    c.seed = 4;
    c.features = {Feature::x1, Feature::x2, Feature::x1sq};
    c.layers = {{8, {Activation::tanh, 0.0}}, {8, {Activation::sigmoid, 0.0}}, {1, {Activation::tanh, 0.0}}};
    c.loss = Loss::mse;
    c.dataset = DatasetConfig{DatasetKind::circle, 60, 0.0, 0.5, 2};
    Trainer t(c);
    Rng rng(8);
    // Weights of scale 1e30: every z is huge, the activations saturate.
    auto set_scale = [&](double scale) {
        for (std::size_t l = 0; l < t.layer_count(); ++l) {
            std::vector<double> w(t.layer(l).weights.size());
            for (double& x : w) x = scale * rng.uniform(0.5, 1.5) * (rng.uniform(0.0, 1.0) < 0.5 ? -1.0 : 1.0);
            t.set_weights(l, w.data(), w.size());
        }
    };
    set_scale(1e30);
    CHECK(worst_heatmap_error(t, 20, -6, 6, -6, 6) <= 1e-5);

    auto bounded = [](const std::vector<float>& maps) {
        return std::all_of(maps.begin(), maps.end(), [](float v) { return std::isnan(v) || (v >= -1.0f && v <= 1.0f); });
    };
    SECTION("weights past float's range: inf in float, NaN where inf meets inf, every other value in range") {
        set_scale(1e300);
        CHECK(bounded(t.heatmaps(20, -6, 6, -6, 6)));
    }
    SECTION("a plane so wide that x1² overflows float") {
        set_scale(1.0);
        const std::vector<float>& maps = t.heatmaps(16, -1e30, 1e30, -1e30, 1e30);
        CHECK(bounded(maps));
        CHECK(std::isinf(t.input_heatmaps(16, -1e30, 1e30, -1e30, 1e30)[2 * 256]));  // x1² of the first cell
    }
}

TEST_CASE("caller data on a softmax output is classification even with MSE, as the course compares them") {
    Trainer t(caller_config(2, {{3, {Activation::softmax, 0.0}}}, Loss::mse, 2));
    const std::vector<double> x{1, 2, 3, 4}, y{1, 0, 0, 0, 0, 1};
    t.set_data(x.data(), y.data(), 2);
    const Evaluation e = t.evaluate();
    REQUIRE(std::isfinite(e.train_accuracy));
    CHECK((e.train_accuracy == 0.0 || e.train_accuracy == 0.5 || e.train_accuracy == 1.0));
    CHECK(t.train_split().labels == std::vector<double>{0.0, 2.0});

    Trainer regression(caller_config(2, {{1, {Activation::linear, 0.0}}}, Loss::mse, 2));
    const std::vector<double> values{0.25, -0.75};
    regression.set_data(x.data(), values.data(), 2);
    CHECK(std::isnan(regression.evaluate().train_accuracy));
    CHECK(regression.train_split().labels == values);
}

TEST_CASE("set_data refuses bad data with a message and keeps the old data") {
    Trainer t(caller_config(2, {{3, {Activation::softmax, 0.0}}}, Loss::cce, 2));
    const std::vector<double> x{1, 2, 3, 4}, y{1, 0, 0, 0, 1, 0};
    t.set_data(x.data(), y.data(), 2);
    const auto before = t.snapshot();
    auto message = [&](const std::vector<double>& xs, const std::vector<double>& ys, std::size_t n) {
        try {
            t.set_data(xs.data(), ys.data(), n);
        } catch (const LabError& e) {
            return e.field() + ": " + e.what();
        }
        return std::string("accepted");
    };
    CHECK_THAT(message({1, NAN, 3, 4}, y, 2), Catch::Matchers::StartsWith("x: x[1] is NaN"));
    CHECK_THAT(message(x, {1, 0, 0, 0.5, 0.6, 0}, 2), Catch::Matchers::Contains("(sample 1) summing to 1.1"));
    CHECK_THAT(message(x, {1.5, -0.5, 0, 0, 1, 0}, 2), Catch::Matchers::Contains("from 0 to 1"));
    CHECK_THAT(message(x, y, 0), Catch::Matchers::StartsWith("n:"));
    CHECK_THAT(message(x, {1, 0, 0, 0, NAN, 1}, 2), Catch::Matchers::StartsWith("y: y[4] is NaN"));
    CHECK(same_bytes(t.snapshot(), before));
    CHECK(t.train_split().size() == 2);
}

TEST_CASE("training without data says so") {
    Trainer t(caller_config(2, {{1, {Activation::linear, 0.0}}}, Loss::mse, 2));
    CHECK_THROWS_WITH(t.train_step(), Catch::Matchers::Contains("no training data"));
    CHECK_THROWS_AS(t.step_phase(), LabError);
}

TEST_CASE("dead units: a ReLU is dead when its z is below 0 for every training point") {
    // Two ReLU units on 1 input, then a linear output; 70 points (more than a block of lanes).
    TrainerConfig c = caller_config(1, {{2, {Activation::relu, 0.0}}, {1, {Activation::linear, 0.0}}}, Loss::mse, 10);
    Trainer t(c);
    std::vector<double> x(70), y(70, 0.0);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = -1.0 + 2.0 * static_cast<double>(i) / 69.0;  // −1 … 1
    t.set_data(x.data(), y.data(), x.size());
    // Unit 0: z = x − 2 < 0 for every x in [−1, 1]: dead. Unit 1: z = x, alive for x > 0.
    const std::vector<double> w{1.0, 1.0}, b{-2.0, 0.0};
    t.set_weights(0, w.data(), 2);
    t.set_biases(0, b.data(), 2);
    CHECK(t.dead_units() == std::vector<std::size_t>{1, 0});
    // Unit 1 too, once its bias puts the last point (x = 1) just below 0; the output layer
    // then outputs its bias alone: not 0 unless that bias is 0.
    const std::vector<double> dead_bias{-2.0, -1.0 - 1e-12}, out_w{0.5, 0.5}, out_b{0.0};
    t.set_biases(0, dead_bias.data(), 2);
    t.set_weights(1, out_w.data(), 2);
    t.set_biases(1, out_b.data(), 1);
    CHECK(t.dead_units() == std::vector<std::size_t>{2, 1});
    // The step that would revive them gets no gradient: both stay dead after training.
    t.train_epoch();
    CHECK(t.dead_units()[0] == 2);
    const std::vector<double> alive_bias{-2.0, -1.0 + 1e-9};
    t.set_biases(0, alive_bias.data(), 2);
    CHECK(t.dead_units() == std::vector<std::size_t>{1, 0});
}

TEST_CASE("evaluate: mean loss and accuracy per split, with tanh outputs aiming at -1 and 1") {
    TrainerConfig c;
    c.features = {Feature::x1sq, Feature::x2sq};
    c.layers = {{1, {Activation::tanh, 0.0}}};
    c.loss = Loss::mse;
    c.dataset = DatasetConfig{DatasetKind::circle, 200, 0.0, 0.6, 2};
    Trainer t(c);
    // z = 6.25 − x1² − x2² is positive exactly inside the circle of radius 2.5: class 1
    const std::vector<double> w{-1.0, -1.0}, b{6.25};
    t.set_weights(0, w.data(), 2);
    t.set_biases(0, b.data(), 1);
    const Evaluation e = t.evaluate();
    CHECK(e.train_accuracy == 1.0);
    CHECK(e.test_accuracy == 1.0);
    for (const Split* split : {&t.train_split(), &t.test_split()}) {
        double sum = 0.0;
        for (std::size_t i = 0; i < split->size(); ++i) {
            const double x1 = split->points[2 * i], x2 = split->points[2 * i + 1];
            const double target = split->labels[i] == 1.0 ? 1.0 : -1.0;
            CHECK(split->targets(i, 0) == target);
            const double a = std::tanh(6.25 - x1 * x1 - x2 * x2);
            sum += (a - target) * (a - target);
        }
        CHECK((split == &t.train_split() ? e.train_loss : e.test_loss) == Approx(sum / split->size()).epsilon(1e-13));
    }
    CHECK(t.train_split().size() == 120);

    c.dataset = DatasetConfig{DatasetKind::plane, 50, 0.0, 1.0, 2};
    c.features = {Feature::x1, Feature::x2};
    c.layers = {{1, {Activation::linear, 0.0}}};
    const Evaluation r = Trainer(c).evaluate();
    CHECK(std::isnan(r.train_accuracy));  // regression has no accuracy
    CHECK(std::isnan(r.test_loss));       // and this split has no test points
    CHECK(std::isfinite(r.train_loss));
}

TEST_CASE("half_mse is TensorFlow Playground's square error: ½(a − y)² on ±1 targets, gradient a − y") {
    SECTION("a dataset's two classes aim at −1 and 1 through a tanh output; the loss is ½ of MSE's") {
        TrainerConfig c;
        c.features = {Feature::x1sq, Feature::x2sq};
        c.layers = {{1, {Activation::tanh, 0.0}}};
        c.loss = Loss::half_mse;
        c.dataset = DatasetConfig{DatasetKind::circle, 200, 0.0, 0.6, 2};
        Trainer t(c);
        const std::vector<double> w{-0.3, -0.2}, b{1.5};
        t.set_weights(0, w.data(), 2);
        t.set_biases(0, b.data(), 1);
        const Evaluation e = t.evaluate();
        const Split& split = t.train_split();
        double sum = 0.0;
        std::size_t right = 0;
        for (std::size_t i = 0; i < split.size(); ++i) {
            const double x1 = split.points[2 * i], x2 = split.points[2 * i + 1];
            const double target = split.labels[i] == 1.0 ? 1.0 : -1.0;
            CHECK(split.targets(i, 0) == target);
            const double a = std::tanh(1.5 - 0.3 * x1 * x1 - 0.2 * x2 * x2);
            sum += 0.5 * (a - target) * (a - target);
            right += (a > 0.0) == (target > 0.0);
        }
        CHECK(e.train_loss == Approx(sum / static_cast<double>(split.size())).epsilon(1e-13));
        CHECK(e.train_accuracy == static_cast<double>(right) / static_cast<double>(split.size()));
    }
    SECTION("one SGD step on two samples, worked out: w ← w − lr · mean((a − y)(1 − a²) x)") {
        TrainerConfig c = caller_config(2, {{1, {Activation::tanh, 0.0}}}, Loss::half_mse, 2);
        Trainer t(c);
        const std::vector<double> w{0.5, -0.25}, b{0.1}, x{1.0, 2.0, -1.0, 0.5}, y{1.0, -1.0};
        t.set_weights(0, w.data(), 2);
        t.set_biases(0, b.data(), 1);
        t.set_data(x.data(), y.data(), 2);
        const double a0 = std::tanh(0.5 * 1.0 - 0.25 * 2.0 + 0.1), a1 = std::tanh(-0.5 - 0.125 + 0.1);
        const double d0 = (a0 - 1.0) * (1.0 - a0 * a0), d1 = (a1 + 1.0) * (1.0 - a1 * a1);  // ∂ℓ/∂z
        const double loss = (0.5 * (a0 - 1.0) * (a0 - 1.0) + 0.5 * (a1 + 1.0) * (a1 + 1.0)) / 2.0;
        const BatchResult r = t.train_step();
        CHECK(r.loss == Approx(loss).epsilon(1e-14));
        CHECK(t.trace(0).upstream_grad(0, 0) == Approx(a0 - 1.0).epsilon(1e-14));  // Playground's o − t
        CHECK(t.trace(0).upstream_grad(1, 0) == Approx(a1 + 1.0).epsilon(1e-14));
        const auto& after = t.layer(0).weights;
        CHECK(after(0, 0) == Approx(0.5 - 0.1 * (d0 * 1.0 + d1 * -1.0) / 2.0).epsilon(1e-14));
        CHECK(after(0, 1) == Approx(-0.25 - 0.1 * (d0 * 2.0 + d1 * 0.5) / 2.0).epsilon(1e-14));
        CHECK(t.layer(0).biases(0) == Approx(0.1 - 0.1 * (d0 + d1) / 2.0).epsilon(1e-14));
    }
    SECTION("regression takes half_mse with a linear output; other losses are refused there") {
        TrainerConfig c;
        c.features = {Feature::x1, Feature::x2};
        c.layers = {{3, {Activation::tanh, 0.0}}, {1, {Activation::linear, 0.0}}};
        c.loss = Loss::half_mse;
        c.dataset = DatasetConfig{DatasetKind::plane, 40, 0.0, 0.5, 2};
        CHECK(validate(c).empty());
        Trainer t(c);
        CHECK_FALSE(t.train_epoch().diverged);
        c.loss = Loss::bce;
        c.layers.back().activation.kind = Activation::sigmoid;
        CHECK_FALSE(validate(c).empty());
    }
}

TEST_CASE("init 'zero' sets every weight and bias to 0, and a tanh network stays symmetric") {
    TrainerConfig c;
    c.features = {Feature::x1, Feature::x2};
    c.layers = {{3, {Activation::tanh, 0.0}}, {1, {Activation::tanh, 0.0}}};
    c.loss = Loss::half_mse;
    c.init = Init::zero;
    c.dataset = DatasetConfig{DatasetKind::xor_, 100, 0.0, 0.5, 2};
    Trainer t(c);
    for (std::size_t l = 0; l < t.layer_count(); ++l) {
        for (double w : t.layer(l).weights) CHECK(w == 0.0);
        for (double b : t.layer(l).biases) CHECK(b == 0.0);
    }
    // The hidden units output tanh(0) = 0, so no gradient reaches any weight: only the output's
    // bias moves, and every hidden unit stays what the others are.
    for (int e = 0; e < 3; ++e) REQUIRE_FALSE(t.train_epoch().diverged);
    for (double w : t.layer(0).weights) CHECK(w == 0.0);
    for (double w : t.layer(1).weights) CHECK(w == 0.0);
    CHECK(t.layer(1).biases(0) != 0.0);
    // The data and the shuffle come from their own streams: the same as with another init.
    TrainerConfig xavier = c;
    xavier.init = Init::xavier;
    Trainer other(xavier);
    CHECK(other.train_split().points == Trainer(c).train_split().points);
}

// ---- the probe and the paths of the chain rule ---------------------------------------------

namespace {

// 8 samples of 3 inputs, batches of 4 in order, a 3-3-3-2 softmax net.
Trainer probe_trainer(std::vector<LayerSpec> layers = {{3, {Activation::tanh, 0.0}},
                                                       {3, {Activation::sigmoid, 0.0}},
                                                       {2, {Activation::softmax, 0.0}}},
                      Loss loss = Loss::cce) {
    const std::size_t n = 8, inputs = 3, k = layers.back().units;
    Trainer t(caller_config(inputs, std::move(layers), loss, 4));
    Rng rng(5);
    std::vector<double> x(n * inputs);
    for (double& v : x) v = rng.uniform(-2.0, 2.0);
    const std::vector<double> y = make_targets(loss, n, k, rng);
    t.set_data(x.data(), y.data(), n);
    return t;
}

// Layer l's per-sample arrays, row r.
std::vector<double> row_of(const xt::xtensor<double, 2>& m, std::size_t r) {
    const std::size_t cols = m.shape()[1];
    return std::vector<double>(m.data() + r * cols, m.data() + (r + 1) * cols);
}

void check_rows_equal(const Trainer& a, std::size_t row_a, const Trainer& b, std::size_t row_b) {
    for (std::size_t l = 0; l < a.layer_count(); ++l) {
        const LayerTrace &x = a.trace(l), &y = b.trace(l);
        INFO("layer " << l);
        CHECK(row_of(x.pre_activation, row_a) == row_of(y.pre_activation, row_b));
        CHECK(row_of(x.activation, row_a) == row_of(y.activation, row_b));
        CHECK(row_of(x.upstream_grad, row_a) == row_of(y.upstream_grad, row_b));
        CHECK(row_of(x.local_grad, row_a) == row_of(y.local_grad, row_b));
        CHECK(row_of(x.downstream_grad, row_a) == row_of(y.downstream_grad, row_b));
    }
}

}  // namespace

TEST_CASE("the probe rides along with every batch and never changes training") {
    Trainer with = probe_trainer(), without = probe_trainer();
    with.set_probe(6);  // a sample of the second batch
    REQUIRE(with.probe() == std::optional<std::size_t>(6));
    for (int step = 0; step < 5; ++step) {
        REQUIRE_FALSE(with.train_step().diverged);
        REQUIRE_FALSE(without.train_step().diverged);
        CHECK(same_weights(with, without));
        for (std::size_t l = 0; l < with.layer_count(); ++l) {
            CHECK(same_bytes(with.trace(l).weight_grad, without.trace(l).weight_grad));
            CHECK(with.trace(l).bias_grad == without.trace(l).bias_grad);
        }
        CHECK(with.batch_loss() == without.batch_loss());
        REQUIRE(with.probe_row() == std::optional<std::size_t>(with.batch_rows()));
    }
    // In the batch that holds sample 6 (shuffle is off: rows 4…7), the probe row is its batch row.
    Trainer t = probe_trainer();
    t.set_probe(6);
    REQUIRE_FALSE(t.train_step().diverged);  // batch 0
    run_to_update(t);                          // batch 1, up to its update
    REQUIRE(t.batch_indices()[2] == 6);
    check_rows_equal(t, 2, t, *t.probe_row());
    CHECK(t.sample_loss_of(2) == t.sample_loss_of(*t.probe_row()));
}

TEST_CASE("a probe chosen mid-batch fills in the phases already run, with the weights the batch used") {
    for (int phases : {2, 5, 7, 8}) {  // forward part-way, into backward, all of backward, after the update
        INFO(phases << " phases run");
        Trainer early = probe_trainer(), late = probe_trainer();
        early.set_probe(3);
        for (int p = 0; p < phases; ++p) {
            REQUIRE_FALSE(early.step_phase().diverged);
            REQUIRE_FALSE(late.step_phase().diverged);
        }
        const auto before = late.snapshot();
        const auto weights_before = late.layer(0).weights;
        late.set_probe(3);
        CHECK(same_bytes(late.layer(0).weights, weights_before));
        REQUIRE(late.probe_row() == early.probe_row());
        for (std::size_t l = 0; l < late.layer_count(); ++l) {
            const LayerTrace &a = late.trace(l), &b = early.trace(l);
            REQUIRE(a.forward_done == b.forward_done);
            REQUIRE(a.backward_done == b.backward_done);
            const std::size_t r = *late.probe_row();
            if (a.forward_done) CHECK(row_of(a.activation, r) == row_of(b.activation, r));
            if (a.backward_done) {
                CHECK(row_of(a.downstream_grad, r) == row_of(b.downstream_grad, r));
                CHECK(same_bytes(a.weight_grad, b.weight_grad));
            }
        }
        CHECK(same_bytes(late.snapshot(), early.snapshot()));
        CHECK_FALSE(same_bytes(late.snapshot(), before));  // the probe's choice is part of the state
        late.set_probe(std::nullopt);
        CHECK_FALSE(late.probe_row());
        CHECK(same_bytes(late.snapshot(), before));  // and dropping it leaves nothing behind
    }
    Trainer t = probe_trainer();
    CHECK_THROWS_WITH(t.set_probe(8), Catch::Matchers::Contains("0 to 7"));
}

TEST_CASE("a sample's own dl/dW is dl/dz_j · a_i, and the batch mean of them is dL/dW") {
    Trainer t = probe_trainer();
    run_to_update(t);
    for (std::size_t l = 0; l < t.layer_count(); ++l) {
        std::vector<double> mean(t.trace(l).weight_grad.size(), 0.0);
        for (std::size_t r = 0; r < t.batch_rows(); ++r) {
            const auto g = t.sample_weight_grad(l, r);
            for (std::size_t k = 0; k < g.size(); ++k) mean[k] += g[k] / t.batch_rows();
        }
        for (std::size_t k = 0; k < mean.size(); ++k)
            CHECK(mean[k] == Approx(t.trace(l).weight_grad.data()[k]).margin(1e-15).epsilon(1e-13));
    }
    CHECK_THROWS_AS(t.sample_weight_grad(0, t.batch_rows()), LabError);  // no probe row
}

TEST_CASE("paths: the products along every path from a weight to the loss sum to its gradient") {
    struct Net {
        const char* name;
        std::vector<LayerSpec> layers;
        Loss loss;
    };
    const Net net = GENERATE(values<Net>({
        {"tanh, sigmoid, softmax + CE", {{3, {Activation::tanh, 0.0}}, {3, {Activation::sigmoid, 0.0}}, {2, {Activation::softmax, 0.0}}}, Loss::cce},
        {"elu, tanh, sigmoid + BCE", {{4, {Activation::elu, 1.0}}, {2, {Activation::tanh, 0.0}}, {1, {Activation::sigmoid, 0.0}}}, Loss::bce},
        {"relu, linear + MSE, two outputs", {{4, {Activation::leaky_relu, 0.1}}, {2, {Activation::linear, 0.0}}}, Loss::mse},
    }));
    INFO(net.name);
    Trainer t = probe_trainer(net.layers, net.loss);
    t.set_probe(5);
    run_to_update(t);
    const std::size_t last = t.layer_count() - 1;
    for (std::size_t l = 0; l <= last; ++l) {
        std::size_t expected_count = 1;
        for (std::size_t m = l + 2; m < t.layer_sizes().size(); ++m) expected_count *= t.layer_sizes()[m];
        for (std::size_t j = 0; j < t.layer_sizes()[l + 1]; ++j)
            for (std::size_t i = 0; i < t.layer_sizes()[l]; ++i) {
                INFO("layer " << l << ", weight [" << j << "][" << i << "]");
                const std::size_t in = t.layer_sizes()[l];
                for (std::size_t row : {std::size_t{0}, std::size_t{3}, *t.probe_row()}) {
                    const PathDecomposition d = t.chain_paths(l, j, i, row, 4096);
                    CHECK(d.count == expected_count);
                    CHECK(d.paths.size() == expected_count);
                    CHECK(d.sum == Approx(t.sample_weight_grad(l, row)[j * in + i]).margin(1e-15).epsilon(1e-12));
                    CHECK(d.listed_sum == Approx(d.sum).margin(1e-15).epsilon(1e-12));
                    for (const ChainPath& p : d.paths) {
                        CHECK(p.units.size() == last - l + 1);
                        CHECK(p.units.front() == j);
                        // a_i, then per layer (its weight), f'(z) or dl/dz at the output
                        CHECK(p.factors.size() == 2 * (last - l) + 2);
                        double product = 1.0;
                        for (double f : p.factors) product *= f;
                        CHECK(product == p.product);
                    }
                    for (std::size_t k = 1; k < d.paths.size(); ++k)
                        CHECK(std::abs(d.paths[k - 1].product) >= std::abs(d.paths[k].product));
                }
                const PathDecomposition mean = t.chain_paths(l, j, i, std::nullopt, 2);
                CHECK(mean.sum == Approx(t.trace(l).weight_grad.data()[j * in + i]).margin(1e-15).epsilon(1e-12));
                CHECK(mean.paths.size() == std::min<std::size_t>(2, expected_count));
                CHECK(mean.paths.front().factors.empty());
            }
    }
}

TEST_CASE("paths: the course's picture, and what they refuse") {
    // 2-2-2-1: weight θ₁₁ of the first layer reaches the loss along two paths (the blue and the orange).
    Trainer t = probe_trainer({{2, {Activation::sigmoid, 0.0}}, {2, {Activation::sigmoid, 0.0}}, {1, {Activation::sigmoid, 0.0}}},
                              Loss::bce);
    CHECK_THROWS_WITH(t.chain_paths(0, 0, 0, 0, 8), Catch::Matchers::Contains("backward has not reached layer 0"));
    run_to_update(t);
    const PathDecomposition d = t.chain_paths(0, 0, 0, 0, 8);
    REQUIRE(d.count == 2);
    CHECK((d.paths[0].units == std::vector<std::size_t>{0, 0, 0} || d.paths[0].units == std::vector<std::size_t>{0, 1, 0}));
    CHECK(d.paths[0].units != d.paths[1].units);
    CHECK(d.paths[0].product + d.paths[1].product == Approx(d.sum).epsilon(1e-15));
    CHECK_THROWS_AS(t.chain_paths(0, 2, 0, 0, 8), LabError);
    CHECK_THROWS_AS(t.chain_paths(3, 0, 0, 0, 8), LabError);
    CHECK_THROWS_AS(t.chain_paths(0, 0, 0, 4, 8), LabError);  // no probe: rows 0 … 3
    CHECK_THROWS_AS(t.chain_paths(0, 0, 0, 0, 0), LabError);
    // After the update the paths still use the weights the batch's backward used.
    REQUIRE_FALSE(t.step_phase().diverged);
    const PathDecomposition after = t.chain_paths(0, 0, 0, 0, 8);
    CHECK(after.sum == d.sum);
}

TEST_CASE("snapshots carry the probe: restore brings back its rows and its choice") {
    Trainer t = probe_trainer();
    t.set_probe(2);
    for (int p = 0; p < 6; ++p) REQUIRE_FALSE(t.step_phase().diverged);  // backward has done layers 2 and 1
    REQUIRE(t.trace(1).backward_done);
    const auto bytes = t.snapshot();
    const auto down = row_of(t.trace(1).downstream_grad, *t.probe_row());
    t.set_probe(7);
    for (int p = 0; p < 9; ++p) REQUIRE_FALSE(t.step_phase().diverged);
    t.restore(bytes.data(), bytes.size());
    CHECK(t.probe() == std::optional<std::size_t>(2));
    CHECK(row_of(t.trace(1).downstream_grad, *t.probe_row()) == down);
    CHECK(same_bytes(t.snapshot(), bytes));
}

// ---- new settings on a live trainer ---------------------------------------------------------

TEST_CASE("reconfigure: a new learning rate keeps the momentum buffer, as torch's param_groups would") {
    TrainerConfig c = cross_build_config();
    c.optimizer = default_optimizer(OptimizerKind::momentum, 0.05);
    c.schedule = ScheduleConfig{};
    c.regularization = {};
    Trainer t(c);
    for (int i = 0; i < 3; ++i) REQUIRE_FALSE(t.train_step().diverged);
    const std::vector<double> buffer = t.optimizer_state(0).weights.momentum_buffer;
    const auto weights = t.layer(0).weights;

    TrainerConfig faster = c;
    faster.optimizer.lr = 0.2;
    t.reconfigure(faster);
    CHECK(t.learning_rate() == 0.2);
    CHECK(t.optimizer_state(0).weights.momentum_buffer == buffer);
    CHECK(same_bytes(t.layer(0).weights, weights));
    CHECK(t.cursor().phase == Phase::forward);

    REQUIRE_FALSE(t.train_step().diverged);
    // torch.optim.SGD with momentum: buf ← μ·buf + g, p ← p − lr·buf, with the kept buffer and the new rate.
    const LayerTrace& tr = t.trace(0);
    for (std::size_t k = 0; k < buffer.size(); ++k) {
        const double g = tr.weight_grad.data()[k];
        const double buf = 0.9 * buffer[k] + g;
        CHECK(tr.weight_update.data()[k] == Approx(-0.2 * buf).margin(1e-16).epsilon(1e-12));
    }
}

TEST_CASE("reconfigure: another optimizer starts its own state, batch size and schedule take effect") {
    Trainer t(cross_build_config());  // adam, step schedule, batches of 8
    for (int i = 0; i < 15; ++i) REQUIRE_FALSE(t.train_step().diverged);
    REQUIRE(t.optimizer_state(1).weights.step == 15);
    const std::size_t epoch = t.cursor().epoch;

    TrainerConfig next = cross_build_config();
    next.optimizer = default_optimizer(OptimizerKind::rmsprop, 0.01);
    next.batch_size = 25;
    next.schedule.kind = ScheduleKind::constant;
    t.reconfigure(next);
    CHECK(t.optimizer_state(1).weights.step == 0);
    CHECK(t.optimizer_state(1).weights.square_avg.size() == t.layer(1).weights.size());
    CHECK(t.optimizer_state(1).weights.exp_avg.empty());
    const Cursor c = t.cursor();
    CHECK(c.epoch == epoch);
    CHECK(c.batch == 0);
    CHECK(c.batches_per_epoch == 4);  // 100 training samples in batches of 25
    CHECK(t.learning_rate() == 0.01);
    for (int i = 0; i < 6; ++i) REQUIRE_FALSE(t.train_step().diverged);
    CHECK(t.batch_rows() == 25);
    CHECK(t.cursor().epoch == epoch + 1);
    CHECK(t.learning_rate() == 0.01);  // constant now
    CHECK(t.optimizer_state(1).weights.step == 6);
}

TEST_CASE("reconfigure refuses to change what shapes the network or its data, and changes nothing") {
    Trainer t(cross_build_config());
    for (int i = 0; i < 4; ++i) REQUIRE_FALSE(t.step_phase().diverged);
    const auto before = t.snapshot();
    auto refused = [&](const TrainerConfig& next) {
        try {
            t.reconfigure(next);
        } catch (const LabError& e) {
            return e.field();
        }
        return std::string("accepted");
    };
    TrainerConfig c = cross_build_config();
    c.layers[1].units = 4;
    CHECK(refused(c) == "layers[1]");
    c = cross_build_config();
    c.seed += 1;
    CHECK(refused(c) == "seed");
    c = cross_build_config();
    c.dataset->noise = 0.2;
    CHECK(refused(c) == "dataset");
    c = cross_build_config();
    c.features.pop_back();
    CHECK(refused(c) == "features");
    c = cross_build_config();
    c.optimizer.lr = -1.0;
    CHECK(refused(c) == "optimizer.lr");
    CHECK(same_bytes(t.snapshot(), before));
}

TEST_CASE("gradient sizes: each layer's mean |dL/dW|, once backward has reached it") {
    Trainer t = probe_trainer();
    for (double size : t.gradient_sizes()) CHECK(std::isnan(size));
    // forward 0, 1, 2, the loss, backward 2 and 1
    for (int p = 0; p < 6; ++p) REQUIRE_FALSE(t.step_phase().diverged);
    const auto sizes = t.gradient_sizes();
    REQUIRE(sizes.size() == 3);
    CHECK(std::isnan(sizes[0]));
    for (std::size_t l : {1, 2}) {
        double sum = 0.0;
        const auto& g = t.trace(l).weight_grad;
        for (std::size_t k = 0; k < g.size(); ++k) sum += std::abs(g.data()[k]);
        CHECK(sizes[l] == Approx(sum / g.size()).epsilon(1e-15));
        CHECK(sizes[l] > 0.0);
    }
}

// ---- calls that fail part-way change nothing ---------------------------------------------------

namespace {

// Fails the first, second, third … allocation of `call` in turn until it succeeds, and checks
// after each failure that the trainer is exactly as it was and still trains.
template <class Call>
void check_all_or_nothing(const TrainerConfig& config, Call call) {
    for (long k = 0;; ++k) {
        INFO("allocation " << k << " fails");
        Trainer t(config);
        REQUIRE_FALSE(t.train_step().diverged);
        for (int p = 0; p < 3; ++p) REQUIRE_FALSE(t.step_phase().diverged);
        const auto before = t.snapshot();
        const TrainerConfig config_before = t.config();
        bool threw = false;
        {
            bplab_test::FailAllocation fail(k);
            try {
                call(t);
            } catch (const std::bad_alloc&) {
                threw = true;
            }
            if (!fail.failed()) {  // the call made fewer than k + 1 allocations: all were tried
                REQUIRE_FALSE(threw);
                return;
            }
        }
        REQUIRE(threw);
        CHECK(same_bytes(t.snapshot(), before));
        CHECK(t.config().batch_size == config_before.batch_size);
        CHECK(t.config().optimizer.kind == config_before.optimizer.kind);
        CHECK(t.train_split().size() == 100);
        for (int s = 0; s < 20; ++s) REQUIRE_FALSE(t.train_step().diverged);
    }
}

}  // namespace

TEST_CASE("reconfigure that runs out of memory part-way changes nothing") {
    TrainerConfig next = cross_build_config();
    next.optimizer = default_optimizer(OptimizerKind::rmsprop, 0.01);
    next.optimizer.momentum = 0.5;
    next.batch_size = 32;
    next.schedule.kind = ScheduleKind::cosine;
    check_all_or_nothing(cross_build_config(), [&](Trainer& t) { t.reconfigure(next); });
}

TEST_CASE("set_data that runs out of memory part-way changes nothing") {
    Rng rng(3);
    std::vector<double> x(2 * 40), y(3 * 40, 0.0);
    for (double& v : x) v = rng.uniform(-5.0, 5.0);
    for (std::size_t r = 0; r < 40; ++r) y[3 * r + r % 3] = 1.0;
    check_all_or_nothing(cross_build_config(), [&](Trainer& t) { t.set_data(x.data(), y.data(), 40); });
}

TEST_CASE("after set_data the old batch is gone: snapshots restore and rows index the new data") {
    Trainer t(cross_build_config());
    for (int p = 0; p < 5; ++p) REQUIRE_FALSE(t.step_phase().diverged);
    const std::vector<double> x{1, 2, 3, 4}, y{1, 0, 0, 0, 0, 1};
    t.set_data(x.data(), y.data(), 2);
    CHECK(t.batch_rows() == 0);
    CHECK(t.batch_indices().empty());
    const auto bytes = t.snapshot();
    t.restore(bytes.data(), bytes.size());
    CHECK(same_bytes(t.snapshot(), bytes));
    REQUIRE_FALSE(t.train_step().diverged);
    for (std::uint32_t k : t.batch_indices()) CHECK(k < 2);
}

TEST_CASE("paths refuse more products than one call may compute, without overflowing the count") {
    TrainerConfig c = caller_config(2, {{2, {Activation::tanh, 0.0}}, {256, {Activation::tanh, 0.0}},
                                        {256, {Activation::tanh, 0.0}}, {256, {Activation::tanh, 0.0}},
                                        {256, {Activation::tanh, 0.0}}, {1, {Activation::linear, 0.0}}},
                                    Loss::mse, 100);
    Trainer t(c);
    Rng rng(8);
    std::vector<double> x(200), y(100);
    for (double& v : x) v = rng.uniform(-1.0, 1.0);
    for (double& v : y) v = rng.uniform(-1.0, 1.0);
    t.set_data(x.data(), y.data(), 100);
    run_to_update(t);
    // 256⁴ = 2³² paths: a 32-bit count would wrap to 0 and report a sum of 0.
    CHECK_THROWS_WITH(t.chain_paths(0, 0, 0, 0, 8), Catch::Matchers::Contains("too many paths"));
    // 256² paths fit for one sample, not averaged over 100.
    CHECK(t.chain_paths(2, 0, 0, 0, 8).count == 65536);
    CHECK_THROWS_WITH(t.chain_paths(2, 0, 0, std::nullopt, 8), Catch::Matchers::Contains("average over the batch"));
    const PathDecomposition near_output = t.chain_paths(3, 0, 0, 0, 8);  // 256 paths
    CHECK(near_output.count == 256);
    CHECK(near_output.sum == Approx(t.sample_weight_grad(3, 0)[0]).margin(1e-15).epsilon(1e-12));
}

TEST_CASE("configs that would not fit in WebAssembly's memory are refused before anything is allocated") {
    TrainerConfig c = caller_config(2, {}, Loss::mse, 4096);
    for (int l = 0; l < 15; ++l) c.layers.push_back({512, {Activation::tanh, 0.0}});
    c.layers.push_back({1, {Activation::linear, 0.0}});
    CHECK(estimated_memory(c) > Limits::max_memory_mb * 1024 * 1024);
    CHECK_THROWS_WITH(Trainer(c), Catch::Matchers::Contains("MB of engine memory"));
    c.layers.resize(4);
    c.layers.back() = {1, {Activation::linear, 0.0}};
    c.batch_size = 64;
    CHECK(estimated_memory(c) < Limits::max_memory_mb * 1024 * 1024);
    CHECK_NOTHROW(Trainer(c));
}

TEST_CASE("after the first epoch, training and evaluating allocate nothing") {
    for (OptimizerKind kind : {OptimizerKind::sgd, OptimizerKind::momentum, OptimizerKind::adam, OptimizerKind::rmsprop}) {
        INFO(to_name(optimizer_names, kind));
        TrainerConfig c = cross_build_config();
        c.optimizer = default_optimizer(kind, 0.01);
        Trainer t(c);
        t.set_probe(4);
        REQUIRE_FALSE(t.train_epoch().diverged);
        t.evaluate();
        bplab_test::CountAllocations count;
        for (int e = 0; e < 3; ++e) REQUIRE_FALSE(t.train_epoch().diverged);
        for (int p = 0; p < 9; ++p) REQUIRE_FALSE(t.step_phase().diverged);
        t.evaluate();
        CHECK(count.count() == 0);
    }
}
