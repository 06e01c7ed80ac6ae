#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "bplab/config.hpp"

using namespace bplab;

namespace {

const double not_a_number = std::numeric_limits<double>::quiet_NaN();
const double infinity = std::numeric_limits<double>::infinity();

// A small valid network for data given by set_data: 2 inputs, tanh hidden, sigmoid output, bce.
TrainerConfig valid_config() {
    TrainerConfig c;
    c.layers = {{4, {Activation::tanh}}, {1, {Activation::sigmoid}}};
    c.loss = Loss::bce;
    return c;
}

std::vector<std::string> fields(const std::vector<ConfigProblem>& problems) {
    std::vector<std::string> out;
    for (const auto& p : problems) out.push_back(p.field);
    return out;
}

const ConfigProblem* find(const std::vector<ConfigProblem>& problems, const std::string& field) {
    for (const auto& p : problems)
        if (p.field == field) return &p;
    return nullptr;
}

// One numeric field: values on both sides of each bound.
struct NumberField {
    std::string field;
    std::function<void(TrainerConfig&, double)> set;
    std::vector<double> accepted;
    std::vector<double> refused;
    std::string allowed;
};

std::vector<NumberField> number_fields() {
    using C = TrainerConfig;
    return {
        {"optimizer.lr", [](C& c, double x) { c.optimizer.lr = x; }, {1e-9, 0.03, 1000}, {0, -0.1, 1000.5, not_a_number, infinity, -infinity},
         "a number above 0, at most 1000"},
        {"optimizer.momentum", [](C& c, double x) { c.optimizer.momentum = x; }, {0, 0.9, 0.999}, {-0.1, 1, not_a_number},
         "a number from 0 to below 1"},
        {"optimizer.dampening", [](C& c, double x) { c.optimizer.dampening = x; }, {0, 1}, {-1e-9, 1.5, infinity},
         "a number from 0 to 1"},
        {"optimizer.weightDecay", [](C& c, double x) { c.optimizer.weight_decay = x; }, {0, 1e-4, 1}, {-1, 2, not_a_number},
         "a number from 0 to 1"},
        {"optimizer.lrDecay", [](C& c, double x) { c.optimizer.lr_decay = x; }, {0, 1}, {-0.5, 1.01, not_a_number},
         "a number from 0 to 1"},
        {"optimizer.initialAccumulatorValue", [](C& c, double x) { c.optimizer.initial_accumulator_value = x; },
         {0, 0.1, 1e6}, {-1, 2e6, infinity}, "a number from 0 to 1000000"},
        {"optimizer.alpha", [](C& c, double x) { c.optimizer.alpha = x; }, {0, 0.9, 0.99}, {1, -0.1, not_a_number},
         "a number from 0 to below 1"},
        {"optimizer.beta1", [](C& c, double x) { c.optimizer.beta1 = x; }, {0, 0.9}, {1, -1, not_a_number},
         "a number from 0 to below 1"},
        {"optimizer.beta2", [](C& c, double x) { c.optimizer.beta2 = x; }, {0, 0.999}, {1, 1.1, infinity},
         "a number from 0 to below 1"},
        {"optimizer.eps", [](C& c, double x) { c.optimizer.eps = x; }, {1e-10, 1e-8, 1}, {0, -1e-8, 2, not_a_number},
         "a number above 0, at most 1"},
        {"schedule.gamma", [](C& c, double x) { c.schedule.gamma = x; }, {0.1, 1}, {0, -0.5, 1.1, not_a_number},
         "a number above 0, at most 1"},
        {"schedule.etaMin", [](C& c, double x) { c.schedule.eta_min = x; }, {0, 0.01}, {-0.1, not_a_number, 2000},
         "a number from 0 to 1000"},
        {"schedule.factor", [](C& c, double x) { c.schedule.factor = x; }, {0.1, 0.5}, {0, 1, not_a_number},
         "a number above 0, below 1"},
        {"schedule.threshold", [](C& c, double x) { c.schedule.threshold = x; }, {0, 1e-4, 1}, {-1e-4, 1.5, not_a_number},
         "a number from 0 to 1"},
        {"schedule.minLr", [](C& c, double x) { c.schedule.min_lr = x; }, {0, 1e-5}, {-1e-5, infinity},
         "a number from 0 to 1000"},
        {"schedule.eps", [](C& c, double x) { c.schedule.eps = x; }, {0, 1e-8, 1}, {-1e-8, 2, not_a_number},
         "a number from 0 to 1"},
        {"regularization.rate", [](C& c, double x) { c.regularization.rate = x; }, {0, 0.001, 10}, {-0.001, 10.5, not_a_number},
         "a number from 0 to 10"},
        {"layers[0].alpha", [](C& c, double x) { c.layers[0].activation.alpha = x; }, {0, 5, -3}, {not_a_number, infinity},
         "a finite number (only 'leakyRelu' and 'elu' use alpha)"},
    };
}

struct CountField {
    std::string field;
    std::function<void(TrainerConfig&, std::size_t)> set;
    std::size_t lo, hi;
};

std::vector<CountField> count_fields() {
    using C = TrainerConfig;
    return {
        {"inputs", [](C& c, std::size_t x) { c.inputs = x; }, 1, 64},
        {"layers[0].units", [](C& c, std::size_t x) { c.layers[0].units = x; }, 1, 512},
        {"batchSize", [](C& c, std::size_t x) { c.batch_size = x; }, 1, 4096},
        {"schedule.stepSize", [](C& c, std::size_t x) { c.schedule.step_size = x; }, 1, 100000},
        {"schedule.tMax", [](C& c, std::size_t x) { c.schedule.t_max = x; }, 1, 100000},
        {"schedule.patience", [](C& c, std::size_t x) { c.schedule.patience = x; }, 0, 100000},
        {"schedule.cooldown", [](C& c, std::size_t x) { c.schedule.cooldown = x; }, 0, 100000},
    };
}

}  // namespace

TEST_CASE("config: a plain valid config has no problems") {
    CHECK(validate(valid_config()).empty());
    TrainerConfig regression;
    regression.layers = {{8, {Activation::relu}}, {8, {Activation::elu, 1.0}}, {1, {Activation::linear}}};
    regression.features = {Feature::x1, Feature::x2, Feature::x1x2};
    regression.dataset = DatasetConfig{DatasetKind::plane, 200, 0.1, 0.5, 2};
    CHECK(validate(regression).empty());
}

TEST_CASE("config: every number field refuses NaN, Infinity and values past its bounds, naming what is allowed") {
    for (const auto& f : number_fields()) {
        INFO(f.field);
        for (double x : f.accepted) {
            TrainerConfig c = valid_config();
            f.set(c, x);
            INFO("accepted " << describe(x));
            CHECK(validate(c).empty());
        }
        for (double x : f.refused) {
            TrainerConfig c = valid_config();
            f.set(c, x);
            const auto problems = validate(c);
            INFO("refused " << describe(x));
            REQUIRE(problems.size() == 1);
            CHECK(problems[0].field == f.field);
            CHECK(problems[0].value == describe(x));
            CHECK(problems[0].allowed == f.allowed);
            CHECK(problems[0].message() == f.field + " is " + describe(x) + "; allowed: " + f.allowed);
        }
    }
}

TEST_CASE("config: every count field refuses 0 or huge values outside its bounds") {
    for (const auto& f : count_fields()) {
        INFO(f.field);
        const std::string allowed = "a whole number from " + std::to_string(f.lo) + " to " + std::to_string(f.hi);
        for (std::size_t x : {f.lo, f.hi}) {
            TrainerConfig c = valid_config();
            f.set(c, x);
            CHECK(validate(c).empty());
        }
        std::vector<std::size_t> refused = {f.hi + 1, std::size_t{1000000000}};
        if (f.lo > 0) refused.push_back(f.lo - 1);
        for (std::size_t x : refused) {
            TrainerConfig c = valid_config();
            f.set(c, x);
            const auto problems = validate(c);
            REQUIRE(problems.size() == 1);
            CHECK(problems[0].field == f.field);
            CHECK(problems[0].value == std::to_string(x));
            CHECK(problems[0].allowed == allowed);
        }
    }
}

TEST_CASE("config: every problem is listed at once, one per field") {
    TrainerConfig c = valid_config();
    c.inputs = 0;
    c.layers = {{0, {Activation::softmax}}, {600, {Activation::leaky_relu, 2.0}}, {1, {Activation::softmax}}};
    c.loss = Loss::bce;
    c.optimizer.lr = -1;
    c.optimizer.beta2 = 1.0;
    c.schedule.gamma = not_a_number;
    c.regularization = {Penalty::l2, -1};
    c.batch_size = 0;
    const auto problems = validate(c);
    CHECK(fields(problems) == std::vector<std::string>{
                                 "inputs", "layers[0].units", "layers[0].activation", "layers[1].units",
                                 "layers[1].alpha", "layers[2].units", "loss", "optimizer.lr", "optimizer.beta2",
                                 "schedule.gamma", "regularization.rate", "batchSize"});
    // layers[0].units is both 0 and on a softmax layer: only the first problem is reported.
    CHECK(find(problems, "layers[0].units")->value == "0");
    CHECK(find(problems, "layers[2].units")->value == "1 with 'softmax'");
    CHECK(find(problems, "layers[2].units")->allowed == "at least 2 units for softmax (use 'sigmoid' for one output)");
    CHECK(find(problems, "loss")->value == "'bce' with a 'softmax' output layer");
    const auto listed = fields(problems);
    CHECK(std::set<std::string>(listed.begin(), listed.end()).size() == problems.size());
}

TEST_CASE("config: layers") {
    TrainerConfig c = valid_config();
    SECTION("none") {
        c.layers.clear();
        const auto problems = validate(c);
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].field == "layers");
        CHECK(problems[0].value == "empty");
    }
    SECTION("too many") {
        c.layers.assign(17, {2, {Activation::tanh}});
        c.layers.back() = {1, {Activation::sigmoid}};
        const auto problems = validate(c);
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].field == "layers");
        CHECK(problems[0].value == "17 layers");
        CHECK(problems[0].allowed == "1 to 16 layers, the output layer last");
    }
    SECTION("softmax only on the output layer") {
        c.layers[0].activation.kind = Activation::softmax;
        const auto problems = validate(c);
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].field == "layers[0].activation");
        CHECK_THAT(problems[0].allowed, Catch::StartsWith("softmax only on the output layer"));
    }
    SECTION("alpha of Leaky ReLU and ELU") {
        c.layers[0].activation = {Activation::leaky_relu, 1.5};
        CHECK(fields(validate(c)) == std::vector<std::string>{"layers[0].alpha"});
        c.layers[0].activation = {Activation::elu, 0.0};
        const auto problems = validate(c);
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].allowed == "a number above 0, at most 10");
        CHECK(problems[0].related == std::vector<std::string>{"layers[0].activation"});
        c.layers[0].activation = {Activation::elu, 10.0};
        CHECK(validate(c).empty());
    }
}

TEST_CASE("config: the loss must fit the output layer and the data") {
    TrainerConfig c = valid_config();
    SECTION("bce needs a sigmoid output") {
        c.layers.back().activation.kind = Activation::tanh;
        const auto problems = validate(c);
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].field == "loss");
        CHECK(problems[0].value == "'bce' with a 'tanh' output layer");
        CHECK(problems[0].allowed == "'bce' needs a 'sigmoid' output layer; 'mse' works with any");
        CHECK(problems[0].related == std::vector<std::string>{"layers[1].activation"});
    }
    SECTION("cce needs a softmax output") {
        c.loss = Loss::cce;
        c.layers.back() = {3, {Activation::sigmoid}};
        CHECK(find(validate(c), "loss")->allowed == "'cce' needs a 'softmax' output layer; 'mse' works with any");
    }
    SECTION("mse takes any output") {
        c.loss = Loss::mse;
        for (Activation a : {Activation::linear, Activation::tanh, Activation::relu, Activation::sigmoid}) {
            c.layers.back().activation.kind = a;
            CHECK(validate(c).empty());
        }
    }
    SECTION("regression datasets take mse") {
        c.dataset = DatasetConfig{DatasetKind::multigauss, 100, 0.0, 0.5, 2};
        const auto problems = validate(c);
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].field == "loss");
        CHECK(problems[0].value == "'bce' on the regression dataset 'multigauss'");
        CHECK(problems[0].related == std::vector<std::string>{"dataset.name"});
    }
}

TEST_CASE("config: optimizer switches belong to the optimizers that read them") {
    TrainerConfig c = valid_config();
    SECTION("nesterov needs momentum and no dampening, as torch requires") {
        c.optimizer = default_optimizer(OptimizerKind::nesterov, 0.1);
        CHECK(validate(c).empty());
        c.optimizer.dampening = 0.5;
        auto problems = validate(c);
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].field == "optimizer.nesterov");
        CHECK(problems[0].value == "true with momentum 0.9 and dampening 0.5");
        c.optimizer.dampening = 0.0;
        c.optimizer.momentum = 0.0;
        CHECK(fields(validate(c)) == std::vector<std::string>{"optimizer.nesterov"});
    }
    SECTION("nesterov, centered and amsgrad only where torch has them") {
        c.optimizer = default_optimizer(OptimizerKind::adam, 0.01);
        c.optimizer.nesterov = true;
        c.optimizer.centered = true;
        c.optimizer.amsgrad = true;
        const auto problems = validate(c);
        CHECK(fields(problems) == std::vector<std::string>{"optimizer.nesterov", "optimizer.centered"});
        CHECK(problems[0].allowed == "true only with 'sgd', 'momentum' or 'nesterov'");
        CHECK(problems[1].value == "true with 'adam'");
        CHECK(problems[1].allowed == "true only with 'rmsprop'");
        c.optimizer.kind = OptimizerKind::rmsprop;
        c.optimizer.nesterov = false;
        CHECK(fields(validate(c)) == std::vector<std::string>{"optimizer.amsgrad"});
    }
    SECTION("every optimizer's torch defaults are valid") {
        for (const auto& [name, kind] : optimizer_names) {
            INFO(name);
            c.optimizer = default_optimizer(kind, 0.01);
            CHECK(validate(c).empty());
        }
    }
}

TEST_CASE("config: schedule floors stay below the learning rate where the schedule reads them") {
    TrainerConfig c = valid_config();
    c.optimizer.lr = 0.01;
    c.schedule.eta_min = 0.05;
    c.schedule.min_lr = 0.05;
    CHECK(validate(c).empty());  // a constant schedule reads neither
    c.schedule.kind = ScheduleKind::cosine;
    auto problems = validate(c);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].field == "schedule.etaMin");
    CHECK(problems[0].allowed == "a number from 0 to the learning rate 0.01");
    CHECK(problems[0].related == std::vector<std::string>{"optimizer.lr"});
    c.schedule.kind = ScheduleKind::plateau;
    CHECK(fields(validate(c)) == std::vector<std::string>{"schedule.minLr"});
    // An invalid rate is reported once, not again through the floors that are judged by it.
    c.optimizer.lr = not_a_number;
    CHECK(fields(validate(c)) == std::vector<std::string>{"optimizer.lr"});
}

TEST_CASE("config: inputs and features") {
    TrainerConfig c = valid_config();
    c.features = {Feature::x1, Feature::x2, Feature::x1, Feature::sinx2, Feature::x2};
    c.inputs = 0;  // unused with features
    const auto problems = validate(c);
    CHECK(fields(problems) == std::vector<std::string>{"features[2]", "features[4]"});
    CHECK(problems[0].value == "'x1' again");
    CHECK(problems[0].allowed == "each feature once");
}

TEST_CASE("config: datasets") {
    TrainerConfig c = valid_config();
    c.dataset = DatasetConfig{};
    REQUIRE(validate(c).empty());
    SECTION("samples, noise and split") {
        c.dataset->samples = 1;
        c.dataset->noise = -0.1;
        c.dataset->train_ratio = 0;
        CHECK(fields(validate(c)) == std::vector<std::string>{"dataset.samples", "dataset.noise", "dataset.trainRatio"});
        c.dataset->samples = 20001;
        CHECK(find(validate(c), "dataset.samples")->allowed == "a whole number from 2 to 20000");
    }
    SECTION("a split that leaves no training sample") {
        c.dataset->samples = 10;
        c.dataset->train_ratio = 0.05;
        const auto problems = validate(c);
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].field == "dataset.trainRatio");
        CHECK(problems[0].allowed == "a ratio that leaves at least one of the 10 samples for training");
    }
    SECTION("classes") {
        c.dataset->classes = 3;
        auto problems = validate(c);
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].field == "dataset.classes");
        CHECK(problems[0].allowed == "2 for 'circle'; 'spiral' and 'blobs' take 2 to 5");
        c.dataset->kind = DatasetKind::spiral;
        c.dataset->classes = 6;
        CHECK(fields(validate(c)) == std::vector<std::string>{"dataset.classes"});
    }
    SECTION("one output per class, or one for two classes") {
        c.dataset->kind = DatasetKind::blobs;
        c.dataset->classes = 4;
        c.loss = Loss::cce;
        c.layers.back() = {3, {Activation::softmax}};
        auto problems = validate(c);
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].field == "layers[1].units");
        CHECK(problems[0].value == "3 for 4 classes");
        CHECK(problems[0].allowed == "4 outputs (one per class)");
        CHECK(problems[0].related == std::vector<std::string>{"dataset.name", "dataset.classes"});
        c.layers.back().units = 4;
        CHECK(validate(c).empty());
    }
    SECTION("regression has one output") {
        c.dataset->kind = DatasetKind::plane;
        c.loss = Loss::mse;
        c.layers.back() = {2, {Activation::linear}};
        CHECK(find(validate(c), "layers[1].units")->allowed == "1 output for regression");
    }
    SECTION("datasets live on the plane") {
        c.inputs = 3;
        const auto problems = validate(c);
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].field == "inputs");
        CHECK(problems[0].value == "3 with a dataset");
    }
}

TEST_CASE("config: targets a loss can learn from") {
    const std::vector<double> one_hot = {0, 1, 0, 1, 0, 0};
    CHECK(validate_targets(Loss::cce, one_hot.data(), 2, 3, "y").empty());
    const std::vector<double> soft = {0.2, 0.3, 0.5};
    CHECK(validate_targets(Loss::cce, soft.data(), 1, 3, "y").empty());
    const std::vector<double> not_one = {0, 1, 1};
    auto problems = validate_targets(Loss::cce, not_one.data(), 1, 3, "y");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message() ==
          "y is a row (sample 0) summing to 2; allowed: rows summing to 1 for 'cce' (one-hot: 1 for the class, 0 elsewhere)");
    const std::vector<double> outside = {1, 0, -0.5};
    problems = validate_targets(Loss::bce, outside.data(), 3, 1, "targets");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message() == "targets[2] is -0.5; allowed: a number from 0 to 1 for 'bce'");
    CHECK(validate_targets(Loss::mse, outside.data(), 3, 1, "y").empty());
    const std::vector<double> bad = {0.5, not_a_number};
    problems = validate_targets(Loss::mse, bad.data(), 2, 1, "y");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message() == "y[1] is NaN; allowed: finite numbers");
}

TEST_CASE("config: describe shows numbers as messages do") {
    CHECK(describe(0.001) == "0.001");
    CHECK(describe(3) == "3");
    CHECK(describe(not_a_number) == "NaN");
    CHECK(describe(-infinity) == "-Infinity");
    CHECK(describe(1e12) == "1e+12");
}
