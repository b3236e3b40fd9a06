// Each input is a sequence of 3-byte operations (opcode, a, b) on an array of
// nodes whose first member is an offset_ptr to another node of the array. A
// model keeps the index each link should reach (-1 for null); every link is
// checked against it after each operation.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "fuzz/support/check.hpp"
#include "refipc/offset_ptr.hpp"

namespace {

constexpr int kNodes = 16;

struct Node {
  refipc::offset_ptr<Node> link;  // first member: a link to its own node has offset 0
  std::int64_t value;
};

struct Block {
  std::array<Node, kNodes> nodes;
};

void check_links(const Block& block, const std::array<int, kNodes>& model) {
  for (int i = 0; i < kNodes; ++i) {
    const Node* target = block.nodes[i].link.get();
    if (model[i] < 0) {
      FUZZ_CHECK(target == nullptr);
      FUZZ_CHECK(!block.nodes[i].link);
    } else {
      FUZZ_CHECK(target == &block.nodes[model[i]]);
      FUZZ_CHECK(target->value == model[i]);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Block block;
  std::array<int, kNodes> model;
  for (int i = 0; i < kNodes; ++i) {
    block.nodes[i].value = i;
    model[i] = -1;
  }
  for (std::size_t at = 0; at + 3 <= size; at += 3) {
    const int a = data[at + 1] % kNodes;
    const int b = data[at + 2] % kNodes;
    Node& node = block.nodes[a];
    switch (data[at] % 8) {
      case 0:  // assign a raw pointer; a == b makes the node point at itself
        node.link = &block.nodes[b];
        model[a] = b;
        break;
      case 1:
        node.link = nullptr;
        model[a] = -1;
        break;
      case 2:  // copy assignment rebases the stored offset
        node.link = block.nodes[b].link;
        model[a] = model[b];
        break;
      case 3:  // pointer arithmetic within the array
        if (model[a] >= 0) {
          node.link += b - model[a];
          model[a] = b;
        }
        break;
      case 4: {
        using std::swap;
        swap(node.link, block.nodes[b].link);
        std::swap(model[a], model[b]);
        break;
      }
      case 5: {  // the copied bytes link the copied nodes
        static Block copy;
        std::memcpy(static_cast<void*>(&copy), &block, sizeof block);
        check_links(copy, model);
        break;
      }
      case 6:
        if (model[a] >= 0 && model[b] >= 0) {
          const auto& pa = node.link;
          const auto& pb = block.nodes[b].link;
          FUZZ_CHECK((pa < pb) == (model[a] < model[b]));
          FUZZ_CHECK((pa == pb) == (model[a] == model[b]));
          FUZZ_CHECK(pb - pa == model[b] - model[a]);
        }
        break;
      case 7: {  // conversion to a pointer to const keeps the target
        const refipc::offset_ptr<const Node> view = node.link;
        FUZZ_CHECK(view.get() == (model[a] < 0 ? nullptr : &block.nodes[model[a]]));
        break;
      }
    }
    check_links(block, model);
  }
  return 0;
}
