#pragma once
// A JSON-like value, as the API receives a config or a settings object and
// returns one (the bindings convert JS values to and from it).
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bplab {

struct Value {
    enum class Type { undefined, null, boolean, number, string, array, object, other };
    Type type = Type::undefined;
    bool flag = false;
    double number = 0.0;
    std::string text;          // a string; for `other`, how it is shown ("a Float32Array of 6")
    std::size_t length = 0;    // an array's length; `items` holds no more than the readers look at
    std::vector<Value> items;
    std::vector<std::pair<std::string, Value>> fields;  // an object's, in key order

    Value();
    explicit Value(double x);
    explicit Value(bool b);
    explicit Value(std::string_view s);
    explicit Value(const char* s) : Value(std::string_view(s)) {}  // not the bool
    Value(const Value&);
    Value(Value&&) noexcept;
    Value& operator=(const Value&);
    Value& operator=(Value&&) noexcept;
    ~Value();
    static Value object();
    static Value array();

    bool is(Type t) const { return type == t; }
    // A field (undefined when absent) and an item (undefined past the items held).
    const Value& operator[](std::string_view key) const;
    const Value& operator[](std::size_t i) const;
    Value& set(std::string_view key, Value v);  // a field, new or replaced; returns *this
    Value& push(Value v);

    // How a message shows it: 'text', 3, NaN, null, an array of 4, an object, a Float32Array of 6.
    std::string shown() const;
};

}  // namespace bplab
