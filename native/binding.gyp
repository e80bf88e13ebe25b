{
  "targets": [
    {
      "target_name": "albench_native",
      "sources": ["albench_native.cc"],
      "cflags_cc": ["-O3", "-mavx2", "-mfma", "-ffp-contract=off", "-std=c++17"],
      "cflags_cc!": ["-fno-exceptions"],
      "xcode_settings": { "OTHER_CPLUSPLUSFLAGS": ["-O3", "-mavx2", "-mfma", "-ffp-contract=off"] }
    }
  ]
}
