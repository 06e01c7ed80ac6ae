#include <catch2/catch.hpp>

#include "bplab/names.hpp"

using namespace bplab;

namespace {

enum class Colour { red, green, blue };
constexpr NameTable<Colour, 3> colours{{{"red", Colour::red}, {"green", Colour::green}, {"blue", Colour::blue}}};

}  // namespace

TEST_CASE("names map to values and back, and unknown names to none") {
    CHECK(from_name(colours, "green") == Colour::green);
    CHECK_FALSE(from_name(colours, "Green").has_value());
    CHECK_FALSE(from_name(colours, "").has_value());
    CHECK(to_name(colours, Colour::blue) == "blue");
}

TEST_CASE("the allowed names read as a list for messages") {
    CHECK(allowed_names(colours) == "'red', 'green' or 'blue'");
    constexpr NameTable<Colour, 1> one{{{"red", Colour::red}}};
    CHECK(allowed_names(one) == "'red'");
}
