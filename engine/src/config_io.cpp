#include "bplab/config_io.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "bplab/errors.hpp"

namespace bplab {
namespace {

// A field of a config object: its key and its member (settings.hpp).
template <class T>
struct Field {
    const char* name;
    Member<T> member;
    bool required = false;  // missing is a problem
};
template <class T>
bool required(const Field<T>& f) { return f.required; }
template <class C, class K>
bool required(const Setting<C, K>&) { return false; }

constexpr double unreadable_count = 1e9;  // above every count limit: validation refuses it

class Reader {
public:
    std::vector<ConfigProblem> problems;
    // Numbers and counts that cannot be used as given go to validation as stand-ins out of every
    // range, so that one place states what is allowed; the report then shows what was given.
    std::map<std::string, std::string> given;

    void problem(const std::string& field, const std::string& value, const std::string& allowed) {
        problems.push_back({field, value, allowed});
    }

    // Whether v is an object to read fields from (undefined is not, and no problem).
    bool object(const Value& v, const std::string& field, const std::string& example) {
        if (!v.is(Value::Type::object) && !v.is(Value::Type::undefined)) problem(field, v.shown(), example);
        return v.is(Value::Type::object);
    }

    // The fields of obj that are not known are problems: a typo is never silently ignored.
    void only_known(const Value& obj, const std::string& at, const std::vector<std::string>& known) {
        std::string allowed;
        for (const std::string& k : known) allowed += (allowed.empty() ? "" : ", ") + k;
        for (const auto& [key, v] : obj.fields)
            if (std::find(known.begin(), known.end(), key) == known.end())
                problem(at.empty() ? key : at + "." + key, "an unknown field", "the fields " + allowed);
    }

    // obj[key] into `into` by its member; nothing given keeps the default there.
    template <class T>
    void read(const Value& obj, const char* key, const Member<T>& m, const std::string& field, T& into, bool required) {
        const Value& v = obj[key];
        const bool missing = v.is(Value::Type::undefined), number = v.is(Value::Type::number);
        const double x = number ? v.number : NAN;
        if (missing && required && m.type == SettingType::choice) return problem(field, "missing", m.names());
        if (missing && required) given[field] = "missing";
        if (missing && !required) return;
        switch (m.type) {
            case SettingType::number:
                if (!number) given[field] = v.shown();
                return m.set(into, x);
            case SettingType::count: {
                const bool whole = x >= 0 && x <= unreadable_count && x == std::floor(x);
                if (!whole && !missing) given[field] = v.shown();
                return m.set(into, whole ? x : unreadable_count);
            }
            case SettingType::flag:
                if (v.is(Value::Type::boolean)) return m.set(into, v.flag ? 1.0 : 0.0);
                return problem(field, v.shown(), "true or false");
            case SettingType::choice:
                if (v.is(Value::Type::string))
                    if (auto value = m.value_of(v.text)) return m.set(into, *value);
                return problem(field, v.shown(), m.names());
        }
    }

    template <class Table, class T>
    void read_all(const Value& obj, const Table& table, const std::string& at, T& into) {
        for (const auto& f : table)
            read(obj, f.name, f.member, at.empty() ? f.name : at + "." + f.name, into, required(f));
    }

    // obj[key], an object read by its table of fields; false when it is not there (or not an object).
    template <class T, std::size_t N>
    bool read_object(const Value& obj, const char* key, const char* example, const Field<T> (&fields)[N], T& into);
};

// The keys of a table, after `first`.
template <class Table>
std::vector<std::string> keys_of(const Table& table, std::vector<std::string> first = {}) {
    for (const auto& f : table) first.push_back(f.name);
    return first;
}

template <class T, std::size_t N>
bool Reader::read_object(const Value& obj, const char* key, const char* example, const Field<T> (&fields)[N], T& into) {
    if (!object(obj[key], key, example)) return false;
    only_known(obj[key], key, keys_of(fields));
    read_all(obj[key], fields, key, into);
    return true;
}

template <class T>
Value value_of(const Member<T>& m, const T& from) {
    const double x = m.get(from);
    if (m.type == SettingType::flag) return Value(x != 0.0);
    return m.type == SettingType::choice ? Value(m.name_of(x)) : Value(x);
}

template <class Table, class T>
Value write_all(const Table& table, const T& from, Value out = Value::object()) {
    for (const auto& f : table) out.set(f.name, value_of(f.member, from));
    return out;
}

const Field<Regularization> regularization_fields[] = {
    {"kind", choice<&Regularization::kind, penalty_names>()}, {"rate", member<&Regularization::rate>()}};
const Field<DatasetConfig> dataset_fields[] = {
    {"name", choice<&DatasetConfig::kind, dataset_names>(), true}, {"samples", member<&DatasetConfig::samples>()},
    {"noise", member<&DatasetConfig::noise>()}, {"trainRatio", member<&DatasetConfig::train_ratio>()},
    {"classes", member<&DatasetConfig::classes>()}};
const Field<LayerSpec> layer_fields[] = {{"units", member<&LayerSpec::units>(), true}};
const Field<ActivationSpec> activation_fields[] = {
    {"activation", choice<&ActivationSpec::kind, activation_names>()}};

// An optimizer or a schedule: its name first, then its settings over that kind's defaults.
template <class Config, class Table, class Defaults>
Config read_kind(const Value& js, const std::string& at, const char* example, const Member<Config>& kind,
                 const Table& table, Defaults defaults, Reader& in) {
    Config c;
    if (!in.object(js, at, example)) return c;
    in.only_known(js, at, keys_of(table, {"name"}));
    in.read(js, "name", kind, at + ".name", c, false);
    c = defaults(c.kind);
    in.read_all(js, table, at, c);
    return c;
}

OptimizerConfig optimizer_of(const Value& js, Reader& in) {
    const auto defaults = [](OptimizerKind k) { return default_optimizer(k, OptimizerConfig().lr); };
    return read_kind(js, "optimizer", "an object such as { name: 'adam', lr: 0.01 }", optimizer_kind,
                     optimizer_settings, defaults, in);
}

ScheduleConfig schedule_of(const Value& js, Reader& in) {
    return read_kind(js, "schedule", "an object such as { name: 'step', stepSize: 10 }", schedule_kind,
                     schedule_settings, default_schedule, in);
}

// A layer that cannot be read keeps its place, so that later layers keep their indices.
void read_layers(const Value& js, Reader& in, TrainerConfig& c) {
    const std::size_t n = js.length;
    if (!js.is(Value::Type::array) || n > Limits::max_layers)
        return in.problem("layers",
                          js.is(Value::Type::undefined)   ? "missing"
                          : js.is(Value::Type::array) ? std::to_string(n) + " layers"
                                                      : js.shown(),
                          "an array of 1 to " + std::to_string(Limits::max_layers) +
                              " layers { units, activation }, the output layer last");
    c.layers.resize(n);
    for (std::size_t l = 0; l < n; ++l) {
        const std::string at = "layers[" + std::to_string(l) + "]";
        const Value& item = js[l];
        LayerSpec& spec = c.layers[l];
        spec.activation.kind = default_activation(l + 1 == n);
        if (item.is(Value::Type::undefined)) in.problem(at, "undefined", "an object { units, activation }");
        if (!in.object(item, at, "an object { units, activation }")) continue;
        in.only_known(item, at, {"units", "activation", "alpha"});
        in.read_all(item, layer_fields, at, spec);
        in.read_all(item, activation_fields, at, spec.activation);
        spec.activation.alpha = default_alpha(spec.activation.kind);
        in.read(item, "alpha", member<&ActivationSpec::alpha>(), at + ".alpha", spec.activation, false);
    }
    if (n > 0) c.loss = loss_for_output(c.layers.back().activation.kind);  // unless the config names one
}

void read_features(const Value& js, Reader& in, TrainerConfig& c) {
    const Value& features = js["features"];
    if (features.is(Value::Type::undefined)) return;
    const std::size_t n = features.is(Value::Type::array) ? features.length : 0;
    if (n == 0 || n > feature_names.size())
        return in.problem("features", features.shown(),
                          "a list of 1 to " + std::to_string(feature_names.size()) + " of " +
                              allowed_names(feature_names));
    if (!js["inputs"].is(Value::Type::undefined))
        in.problem("inputs", js["inputs"].shown(),
                   "no inputs when features are given: the features are the network's inputs");
    for (std::size_t i = 0; i < n; ++i) {
        const Value& name = features[i];
        const auto f = name.is(Value::Type::string) ? from_name(feature_names, name.text) : std::nullopt;
        if (!f) in.problem("features[" + std::to_string(i) + "]", name.shown(), allowed_names(feature_names));
        c.features.push_back(f.value_or(Feature::x1));
    }
}

void read_seed(const Value& js, Reader& in, TrainerConfig& c) {
    const Value& seed = js["seed"];
    const double x = seed.is(Value::Type::number) ? seed.number : NAN;
    if (x >= 0 && x <= 0x1p53 && x == std::floor(x)) c.seed = static_cast<std::uint64_t>(x);
    else if (!seed.is(Value::Type::undefined))
        in.problem("seed", seed.shown(), "a whole number from 0 to 2^53 (9007199254740992)");
}

Value feature_list(const std::vector<Feature>& features) {
    Value list = Value::array();
    for (Feature f : features) list.push(Value(to_name(feature_names, f)));
    return list;
}

Value layer_list(const std::vector<LayerSpec>& layers) {
    Value list = Value::array();
    for (const LayerSpec& spec : layers) {
        Value layer = write_all(activation_fields, spec.activation, write_all(layer_fields, spec));
        if (takes_alpha(spec.activation.kind)) layer.set("alpha", Value(spec.activation.alpha));
        list.push(std::move(layer));
    }
    return list;
}

// The top level of a config in the order the API documents it: a field of TrainerConfig read
// and written by its member, or by its own functions.
struct TopField {
    const char* name;
    Member<TrainerConfig> member;
    void (*read)(const Value& config, Reader& in, TrainerConfig& c) = nullptr;
    void (*write)(const TrainerConfig& c, Value& out) = nullptr;
};

const TopField top_fields[] = {
    {"seed", {}, read_seed, [](const TrainerConfig& c, Value& out) { out.set("seed", Value(double(c.seed))); }},
    {"inputs", member<&TrainerConfig::inputs>(), nullptr,
     [](const TrainerConfig& c, Value& out) {
         if (c.features.empty()) out.set("inputs", Value(double(c.inputs)));
     }},
    {"features", {}, read_features,
     [](const TrainerConfig& c, Value& out) {
         if (!c.features.empty()) out.set("features", feature_list(c.features));
     }},
    {"layers", {}, [](const Value& js, Reader& in, TrainerConfig& c) { read_layers(js["layers"], in, c); },
     [](const TrainerConfig& c, Value& out) { out.set("layers", layer_list(c.layers)); }},
    {"loss", choice<&TrainerConfig::loss, loss_names>()},
    {"optimizer", {},
     [](const Value& js, Reader& in, TrainerConfig& c) { c.optimizer = optimizer_of(js["optimizer"], in); },
     [](const TrainerConfig& c, Value& out) {
         Value named = Value::object().set("name", value_of(optimizer_kind, c.optimizer));
         out.set("optimizer", write_all(optimizer_settings, c.optimizer, std::move(named)));
     }},
    {"schedule", {},
     [](const Value& js, Reader& in, TrainerConfig& c) { c.schedule = schedule_of(js["schedule"], in); },
     [](const TrainerConfig& c, Value& out) {
         Value named = Value::object().set("name", value_of(schedule_kind, c.schedule));
         out.set("schedule", write_all(schedule_settings, c.schedule, std::move(named)));
     }},
    {"regularization", {},
     [](const Value& js, Reader& in, TrainerConfig& c) {
         in.read_object(js, "regularization", "an object { kind, rate }", regularization_fields, c.regularization);
     },
     [](const TrainerConfig& c, Value& out) {
         out.set("regularization", write_all(regularization_fields, c.regularization));
     }},
    {"init", choice<&TrainerConfig::init, init_names>()},
    {"batchSize", member<&TrainerConfig::batch_size>()},
    {"shuffle", member<&TrainerConfig::shuffle>()},
    {"dataset", {},
     [](const Value& js, Reader& in, TrainerConfig& c) {
         DatasetConfig d;
         const char* example = "an object { name, samples, noise, trainRatio, classes }";
         if (in.read_object(js, "dataset", example, dataset_fields, d)) c.dataset = d;
     },
     [](const TrainerConfig& c, Value& out) {
         if (c.dataset) out.set("dataset", write_all(dataset_fields, *c.dataset));
     }},
};

// A settings object of a lab-level call: a problem names the setting.
template <class Config>
Config settings_of(const Value& js, const char* field, const char* example, Config (*read)(const Value&, Reader&)) {
    if (js.is(Value::Type::undefined))
        throw LabError("invalid_argument", field,
                       std::string(field) + " is missing; allowed: an object such as " + example);
    Reader in;
    const Config c = read(js, in);
    if (!in.problems.empty())
        throw LabError("invalid_argument", in.problems.front().field, in.problems.front().message());
    return c;
}

Value names_of(std::size_t count, std::string_view (*name_of)(double)) {
    Value list = Value::array();
    for (std::size_t v = 0; v < count; ++v) list.push(Value(name_of(static_cast<double>(v))));
    return list;
}

// One setting as lab.settings lists it (what the table row says, whatever its config).
struct Row {
    std::string field;
    SettingType type;
    Range range;
    OnChange on_change;
    bool at_most_lr;
    Value value;    // the default
    Value choices;  // a choice's names
    Value readers = Value::array();
    Value differs = Value::object();  // the kinds whose default differs
};

Value describe(Row row) {
    Value item = Value::object().set("field", Value(row.field));
    item.set("type", Value(to_name(setting_type_names, row.type)));
    if (row.type == SettingType::choice) item.set("values", std::move(row.choices));
    if (row.type == SettingType::number || row.type == SettingType::count)
        item.set("min", Value(row.range.lo)).set("max", Value(row.range.hi)).set("minOpen", Value(row.range.lo_open))
            .set("maxOpen", Value(row.range.hi_open));
    item.set("default", std::move(row.value)).set("defaults", std::move(row.differs));
    item.set("readers", std::move(row.readers)).set("onChange", Value(to_name(on_change_names, row.on_change)));
    if (row.at_most_lr) item.set("atMostLr", Value(true));
    return item;
}

// One table of settings as lab.settings lists them, after its kind.
template <class Config, class Kind, std::size_t N>
void describe_table(Value& list, const std::string& group, const Member<Config>& kind,
                    const Setting<Config, Kind> (&table)[N]) {
    const Config defaults;
    list.push(Value::object()
                  .set("field", Value(group + ".name"))
                  .set("type", Value("choice"))
                  .set("values", names_of(kind.choices, kind.name_of))
                  .set("default", value_of(kind, defaults)));
    for (const auto& s : table) {
        Row row{group + "." + s.name, s.member.type, s.range, s.on_change, s.at_most_lr, value_of(s.member, defaults),
                names_of(s.member.choices, s.member.name_of)};
        for (std::size_t k = 0; k < kind.choices; ++k) {
            const Kind each = static_cast<Kind>(k);
            Config c = defaults;
            s.member.set(c, s.default_for(each));
            if (s.read_by(each)) row.readers.push(Value(kind.name_of(static_cast<double>(k))));
            if (s.default_for(each) != s.base)
                row.differs.set(kind.name_of(static_cast<double>(k)), value_of(s.member, c));
        }
        list.push(describe(std::move(row)));
    }
}

}  // namespace

TrainerConfig read_config(const Value& js, std::vector<ConfigProblem>& problems) {
    Reader in;
    TrainerConfig c;
    if (js.is(Value::Type::undefined)) in.problem("config", "undefined", "an object { layers, … }");
    if (in.object(js, "config", "an object { layers, … }")) {
        in.only_known(js, "", keys_of(top_fields));
        for (const TopField& f : top_fields) {
            if (f.read) f.read(js, in, c);
            else in.read(js, f.name, f.member, f.name, c, false);
        }
        add_validation(c, in.problems, in.given);
    }
    problems = std::move(in.problems);
    return c;
}

Value write_config(const TrainerConfig& c) {
    Value out = Value::object();
    for (const TopField& f : top_fields) {
        if (f.write) f.write(c, out);
        else out.set(f.name, value_of(f.member, c));
    }
    return out;
}

OptimizerConfig read_optimizer(const Value& js) {
    return settings_of(js, "optimizer", "{ name: 'adam', lr: 0.1 }", optimizer_of);
}

ScheduleConfig read_schedule(const Value& js) {
    return settings_of(js, "schedule", "{ name: 'step', stepSize: 10 }", schedule_of);
}

Value settings_table() {
    Value list = Value::array();
    describe_table(list, "optimizer", optimizer_kind, optimizer_settings);
    describe_table(list, "schedule", schedule_kind, schedule_settings);
    return list;
}

}  // namespace bplab
