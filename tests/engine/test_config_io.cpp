#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "bplab/config_io.hpp"
#include "bplab/errors.hpp"
#include "bplab/snapshot.hpp"

using namespace bplab;

namespace {

Value layer(double units, const char* activation) {
    return Value::object().set("units", Value(units)).set("activation", Value(activation));
}

Value small_config() {
    return Value::object()
        .set("inputs", Value(2.0))
        .set("layers", Value::array().push(layer(3, "tanh")).push(layer(1, "sigmoid")))
        .set("optimizer", Value::object().set("name", Value("adagrad")).set("lr", Value(0.1)));
}

std::vector<std::string> fields(const std::vector<ConfigProblem>& problems) {
    std::vector<std::string> out;
    for (const ConfigProblem& p : problems) out.push_back(p.field);
    return out;
}

}  // namespace

TEST_CASE("config io: defaults come from the tables, and written back the config reads the same") {
    std::vector<ConfigProblem> problems;
    const TrainerConfig c = read_config(small_config(), problems);
    REQUIRE(problems.empty());
    CHECK(c.loss == Loss::bce);  // the loss a sigmoid output is made for
    CHECK(c.optimizer.eps == 1e-10);  // Adagrad's own
    CHECK(c.layers[0].activation.kind == Activation::tanh);
    const Value written = write_config(c);
    CHECK(written["optimizer"]["eps"].number == 1e-10);
    CHECK(written["schedule"]["name"].text == "constant");
    CHECK(written["features"].is(Value::Type::undefined));
    const TrainerConfig again = read_config(written, problems);
    REQUIRE(problems.empty());
    CHECK(compare_configs(c, again).refused.empty());
    CHECK(config_fingerprint(c) == config_fingerprint(again));
}

TEST_CASE("config io: every problem at once, shown as given, none that follows from another") {
    Value js = small_config();
    js.set("typo", Value(true));
    js.set("batchSize", Value("ten"));
    js.set("layers", Value::array().push(layer(0, "tanh")).push(layer(1, "sofmax")));
    js.set("loss", Value("cce"));
    std::vector<ConfigProblem> problems;
    read_config(js, problems);
    CHECK(fields(problems) == std::vector<std::string>{"typo", "layers[1].activation", "layers[0].units", "batchSize"});
    CHECK(problems[3].value == "'ten'");
    CHECK(problems[3].allowed == "a whole number from 1 to 4096");
}

TEST_CASE("config io: the settings of a lab-level call name the setting at fault") {
    CHECK(read_schedule(Value::object().set("name", Value("exponential"))).gamma == 0.95);
    CHECK_THROWS_WITH(read_optimizer(Value()), Catch::Matchers::Contains("optimizer is missing"));
    try {
        read_optimizer(Value::object().set("name", Value("adam")).set("beta", Value(0.9)));
        FAIL("accepted an unknown field");
    } catch (const LabError& e) {
        CHECK(e.field() == "optimizer.beta");
    }
}

TEST_CASE("config io: lab.settings lists each setting's range, defaults and readers") {
    const Value table = settings_table();
    const auto find = [&](const std::string& field) -> const Value& {
        for (const Value& item : table.items)
            if (item["field"].text == field) return item;
        FAIL("no " << field);
        return table;
    };
    CHECK(find("optimizer.name")["values"].length == 7);
    const Value& eps = find("optimizer.eps");
    CHECK(eps["minOpen"].flag);
    CHECK(eps["default"].number == 1e-8);
    CHECK(eps["defaults"]["adagrad"].number == 1e-10);
    CHECK(eps["readers"].length == 4);
    CHECK(find("schedule.gamma")["onChange"].text == "restartSchedule");
    CHECK(find("schedule.etaMin")["atMostLr"].flag);
}
