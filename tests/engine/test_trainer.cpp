#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <string>

#include "bplab/trainer.hpp"
#include "fixtures.hpp"

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

TEST_CASE("cross-build fixture: weights after 50 steps, for the WebAssembly test to compare") {
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
    json += "\n]\n}\n";

    const std::string dir = bplab_test::fixture_dir();
    if (dir.empty()) return;  // run by hand without --fixture-dir: nothing to hand over
    std::ofstream out(dir + "/native-50-steps.json");
    REQUIRE(out.good());
    out << json;
}
