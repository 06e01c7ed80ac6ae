#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <string>

#include "bplab/config.hpp"
#include "bplab/settings.hpp"

using namespace bplab;

TEST_CASE("settings: each table names every setting once, with a range that allows its defaults") {
    std::set<std::string> names;
    for (const OptimizerSetting& s : optimizer_settings) {
        INFO(s.name);
        CHECK(names.insert(std::string("optimizer.") + s.name).second);
        for (const auto& [kind_name, kind] : optimizer_names) {
            OptimizerConfig c = default_optimizer(kind, 0.1);
            CHECK(s.member.get(c) == (std::string(s.name) == "lr" ? 0.1 : s.default_for(kind)));
        }
    }
    for (const ScheduleSetting& s : schedule_settings) {
        INFO(s.name);
        CHECK(names.insert(std::string("schedule.") + s.name).second);
        for (const auto& [kind_name, kind] : schedule_names) CHECK(s.member.get(default_schedule(kind)) == s.default_for(kind));
    }
    CHECK(names.size() == std::size(optimizer_settings) + std::size(schedule_settings));
}

TEST_CASE("settings: the defaults that differ are torch's, and a member reads and writes its field") {
    CHECK(default_optimizer(OptimizerKind::adagrad, 0.1).eps == 1e-10);
    CHECK(default_optimizer(OptimizerKind::adamw, 0.1).weight_decay == 0.01);
    CHECK(default_optimizer(OptimizerKind::nesterov, 0.1).nesterov);
    CHECK(default_optimizer(OptimizerKind::adam, 0.1).eps == 1e-8);
    CHECK(default_schedule(ScheduleKind::exponential).gamma == 0.95);
    CHECK(default_schedule(ScheduleKind::step).gamma == 0.1);
    ScheduleConfig c;
    schedule_settings[0].member.set(c, 7.0);
    CHECK(c.step_size == 7u);
    CHECK(schedule_kind.name_of(static_cast<double>(ScheduleKind::cosine)) == "cosine");
    CHECK(schedule_kind.value_of("plateau") == static_cast<double>(ScheduleKind::plateau));
    CHECK_FALSE(schedule_kind.value_of("linear").has_value());
}

TEST_CASE("settings: the readers of each setting are the optimizers whose update rule uses it") {
    const auto readers = [](const char* name) {
        std::set<std::string> out;
        for (const OptimizerSetting& s : optimizer_settings)
            if (std::string(s.name) == name)
                for (const auto& [kind_name, kind] : optimizer_names)
                    if (s.read_by(kind)) out.insert(std::string(kind_name));
        return out;
    };
    CHECK(readers("alpha") == std::set<std::string>{"rmsprop"});
    CHECK(readers("beta1") == std::set<std::string>{"adam", "adamw"});
    CHECK(readers("eps") == std::set<std::string>{"adagrad", "rmsprop", "adam", "adamw"});
    CHECK(readers("momentum") == std::set<std::string>{"sgd", "momentum", "nesterov", "rmsprop"});
}

TEST_CASE("config fields: a live trainer refuses the structure and knows what the rest starts afresh") {
    TrainerConfig a;
    a.layers = {{4, {Activation::tanh}}, {1, {Activation::sigmoid}}};
    a.loss = Loss::bce;
    TrainerConfig b = a;
    CHECK(compare_configs(a, b).refused.empty());
    b.optimizer.momentum = 0.5;
    b.schedule.gamma = 0.5;
    ConfigChange change = compare_configs(a, b);
    CHECK(change.new_state);
    CHECK(change.restart_schedule);
    CHECK_FALSE(change.new_batches);
    b = a;
    b.optimizer.beta1 = 0.8;  // read again each step: the state stays
    b.batch_size = 3;
    change = compare_configs(a, b);
    CHECK_FALSE(change.new_state);
    CHECK_FALSE(change.restart_schedule);
    CHECK(change.new_batches);
    b = a;
    b.layers.push_back({2, {Activation::relu}});
    CHECK(compare_configs(a, b).refused == "layers");
    b = a;
    b.layers[1].activation.alpha = 0.5;
    CHECK(compare_configs(a, b).refused == "layers[1]");
    b = a;
    b.init = Init::he;
    b.optimizer.lr = 1.0;
    CHECK(compare_configs(a, b).refused == "init");
}
