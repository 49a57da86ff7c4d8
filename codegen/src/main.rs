// The generator allocates many small token trees on two threads; mimalloc does that markedly
// faster than the system allocator (see the README's figures).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    codegen::avoid_transparent_huge_pages();
    codegen::cli::main()
}
