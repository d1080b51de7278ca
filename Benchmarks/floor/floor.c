/* The benchmark floor: the least work a no-op plan of N local files must do, in plain C.
 * Reads lines of "SHA256-HEX PATH", stats, reads and SHA-256-hashes each file (libcrypto), one after another, and
 * compares the digest. Prints how many matched; exit 1 on any mismatch or unreadable file.
 * Built by Benchmarks/local_bench.py: cc -O2 floor.c -o floor -lcrypto */
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int matches(const char *path, const char *expected, EVP_MD_CTX *context, unsigned char *buffer, size_t size) {
    struct stat info;
    if (stat(path, &info) != 0) return 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0) return 0;
    EVP_DigestInit_ex(context, EVP_sha256(), NULL);
    ssize_t n;
    while ((n = read(fd, buffer, size)) > 0) EVP_DigestUpdate(context, buffer, (size_t)n);
    close(fd);
    if (n < 0) return 0;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context, digest, &length);
    static const char hex_digits[] = "0123456789abcdef";
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    for (unsigned int i = 0; i < length; i++) {
        hex[2 * i] = hex_digits[digest[i] >> 4];
        hex[2 * i + 1] = hex_digits[digest[i] & 0x0F];
    }
    hex[2 * length] = '\0';
    return strcmp(hex, expected) == 0;
}

int main(int argc, char **argv) {
    FILE *list = argc == 2 ? fopen(argv[1], "r") : NULL;
    if (list == NULL) {
        fprintf(stderr, "usage: floor DIGEST-LIST\n");
        return 1;
    }
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    if (context == NULL) return 1;
    static unsigned char buffer[64 * 1024];
    char line[8192];
    long matched = 0, mismatched = 0;
    while (fgets(line, sizeof line, list) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        char *space = strchr(line, ' ');
        if (space == NULL) continue;
        *space = '\0';
        if (matches(space + 1, line, context, buffer, sizeof buffer)) matched++; else mismatched++;
    }
    fclose(list);
    EVP_MD_CTX_free(context);
    printf("matched %ld mismatched %ld\n", matched, mismatched);
    return mismatched == 0 ? 0 : 1;
}
