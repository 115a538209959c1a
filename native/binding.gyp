{
  "targets": [
    {
      "target_name": "crystal_gan_native",
      "sources": ["src/crystal_gan_native.c"],
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra"],
      "libraries": ["-ldl", "-lm"]
    }
  ]
}
