// png_ink FILE.png: how much of a screenshot is not blank. Reads an 8-bit, non-interlaced RGB or RGBA
// PNG (what headless Chromium writes) and prints the fraction of "ink" pixels (any channel below 235:
// text, lines, fills; the page's white and near-white background are not ink) and the fraction of
// rows holding any ink. Exit 0 when read, 2 on a file it cannot read. A small reader on zlib, kept
// to what the browser test needs.
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "png_ink: %s\n", why.c_str());
  std::exit(2);
}

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]);
}

int paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) fail("usage: png_ink FILE.png");
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) fail(std::string("cannot read ") + argv[1]);
  const std::vector<unsigned char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (data.size() < 8 || !std::equal(signature, signature + 8, data.begin())) fail("not a PNG");
  std::uint32_t width = 0, height = 0;
  int channels = 0;
  std::vector<unsigned char> compressed;
  for (std::size_t at = 8; at + 12 <= data.size();) {
    const std::uint32_t length = be32(&data[at]);
    if (at + 12 + length > data.size()) fail("chunk runs past the end");
    const std::string type(reinterpret_cast<const char*>(&data[at + 4]), 4);
    const unsigned char* body = &data[at + 8];
    if (type == "IHDR") {
      width = be32(body);
      height = be32(body + 4);
      const int depth = body[8], colour = body[9], interlace = body[12];
      if (depth != 8 || interlace != 0 || (colour != 2 && colour != 6)) fail("only 8-bit non-interlaced RGB/RGBA is read");
      channels = colour == 2 ? 3 : 4;
    } else if (type == "IDAT") {
      compressed.insert(compressed.end(), body, body + length);
    } else if (type == "IEND") {
      break;
    }
    at += 12 + length;
  }
  if (width == 0 || height == 0 || channels == 0) fail("no image header");
  const std::size_t stride = std::size_t(width) * std::size_t(channels);
  std::vector<unsigned char> raw((stride + 1) * height);
  uLongf raw_size = static_cast<uLongf>(raw.size());
  if (uncompress(raw.data(), &raw_size, compressed.data(), static_cast<uLong>(compressed.size())) != Z_OK || raw_size != raw.size())
    fail("image data does not inflate to its size");
  std::vector<unsigned char> previous(stride, 0), row(stride);
  std::uint64_t ink = 0, rows_with_ink = 0;
  for (std::uint32_t y = 0; y < height; ++y) {
    const unsigned char filter = raw[y * (stride + 1)];
    const unsigned char* line = &raw[y * (stride + 1) + 1];
    for (std::size_t x = 0; x < stride; ++x) {
      const int a = x >= std::size_t(channels) ? row[x - channels] : 0, b = previous[x],
                c = x >= std::size_t(channels) ? previous[x - channels] : 0;
      int predicted = 0;
      switch (filter) {
        case 0: predicted = 0; break;
        case 1: predicted = a; break;
        case 2: predicted = b; break;
        case 3: predicted = (a + b) / 2; break;
        case 4: predicted = paeth(a, b, c); break;
        default: fail("bad row filter");
      }
      row[x] = static_cast<unsigned char>((line[x] + predicted) & 0xff);
    }
    bool any = false;
    for (std::uint32_t x = 0; x < width; ++x) {
      const unsigned char* px = &row[std::size_t(x) * channels];
      if (px[0] < 235 || px[1] < 235 || px[2] < 235) {
        ++ink;
        any = true;
      }
    }
    rows_with_ink += any;
    previous.swap(row);
    row.assign(stride, 0);
  }
  std::printf("width=%u height=%u ink_fraction=%.4f rows_with_ink_fraction=%.4f\n", width, height,
              double(ink) / (double(width) * height), double(rows_with_ink) / height);
  return 0;
}
