# Writes OUT: every SRC_DIR/*.cl as a raw string literal, prefixed with a #line marker.
file(GLOB files ${SRC_DIR}/*.cl)
list(SORT files)
set(names "")
set(sources "")
set(count 0)
foreach(f ${files})
  get_filename_component(name ${f} NAME)
  file(READ ${f} text)
  string(APPEND names "  \"${name}\",\n")
  string(APPEND sources "  R\"ocl_src(#line 1 \"csrc/kernels/${name}\"\n${text})ocl_src\",\n")
  math(EXPR count "${count} + 1")
endforeach()
set(content "// Generated from csrc/kernels/*.cl by cmake/embed_kernels.cmake. Do not edit.
namespace torch_ocl::runtime {
extern const char* const kEmbeddedKernelNames[] = {
${names}  nullptr};
extern const char* const kEmbeddedKernelSources[] = {
${sources}  nullptr};
extern const int kEmbeddedKernelCount = ${count};
}  // namespace torch_ocl::runtime
")
file(WRITE ${OUT}.tmp "${content}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
