// The generator allocates and frees many small syntax-tree nodes on two threads; mimalloc does
// that markedly faster than the system allocator (whole Graph: 0.70 s -> 0.48 s wall).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cli;

fn main() -> std::process::ExitCode {
    codegen::avoid_transparent_huge_pages();
    cli::run()
}
