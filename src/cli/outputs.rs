//! Checks on output paths made before any work, so a run that cannot write its outputs
//! fails in a moment, not after reading a whole corpus.

use std::path::Path;

/// Why `path` (given to `flag`) cannot be written, if that can be told now. `stdin_read`:
/// whether `-` is an input, so that writing standard input's own file would never end
/// (`cat x | storyclust dedup - -o /dev/stdin`) or destroy what is being read.
pub fn output_problem(flag: &str, path: &Path, stdin_read: bool) -> Option<String> {
    let shown = path.display();
    if stdin_read && is_standard_input(path) {
        return Some(format!(
            "{flag} {shown} is the standard input, which `-` reads; write the output to a \
             file or to `-` (standard output)"
        ));
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Some(format!(
            "{flag} {shown} is a folder; name a file to write, e.g. {}",
            path.join("out.json").display()
        )),
        // Devices and pipes are written in place; there is nothing to check.
        Ok(meta) if !meta.is_file() => None,
        _ => folder_problem(flag, path),
    }
}

/// Whether the folder that the atomic writer puts its temporary file in is missing, not a
/// folder or not writable.
fn folder_problem(flag: &str, path: &Path) -> Option<String> {
    // A symbolic link's target's folder is where the file is written.
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let shown = folder.display();
    match std::fs::metadata(folder) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(format!(
            "{flag} {}: the folder {shown} does not exist; create it first (mkdir -p {shown}) \
             or write elsewhere",
            path.display()
        )),
        Err(e) => Some(format!(
            "{flag} {}: cannot use the folder {shown}: {e}",
            path.display()
        )),
        Ok(meta) if !meta.is_dir() => Some(format!(
            "{flag} {}: {shown} is not a folder; write the output elsewhere",
            path.display()
        )),
        Ok(_) if !writable(folder) => Some(format!(
            "{flag} {}: the folder {shown} is not writable (the output is written to a \
             temporary file there first); write the output elsewhere",
            path.display()
        )),
        Ok(_) => None,
    }
}

#[cfg(unix)]
fn writable(folder: &Path) -> bool {
    nix::unistd::access(folder, nix::unistd::AccessFlags::W_OK).is_ok()
}

#[cfg(not(unix))]
fn writable(folder: &Path) -> bool {
    std::fs::metadata(folder).is_ok_and(|m| !m.permissions().readonly())
}

/// Whether `path` names the process's standard input: `/dev/stdin` and its kin, or the
/// same file or pipe as descriptor 0.
#[cfg(unix)]
fn is_standard_input(path: &Path) -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let names = ["/dev/stdin", "/proc/self/fd/0", "/dev/fd/0"];
    if names.iter().any(|n| path == Path::new(n)) {
        return true;
    }
    let Ok(out) = std::fs::metadata(path) else {
        return false;
    };
    // A device (`/dev/null`, the terminal) read and written at once harms nothing.
    use std::os::unix::fs::FileTypeExt;
    if out.file_type().is_char_device() || out.file_type().is_block_device() {
        return false;
    }
    let stdin = std::io::stdin();
    let Ok(owned) = stdin.as_fd().try_clone_to_owned() else {
        return false;
    };
    std::fs::File::from(owned)
        .metadata()
        .is_ok_and(|m| m.dev() == out.dev() && m.ino() == out.ino())
}

#[cfg(not(unix))]
fn is_standard_input(path: &Path) -> bool {
    path == Path::new("/dev/stdin")
}
