{ printf -- '---\ntitle: Big\n---\n\n'; head -c 10485760 /dev/zero | tr '\0' 'a'; } > content/pages/big.en.md
