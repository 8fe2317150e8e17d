# coordinates that are not two numbers, and a latitude past the pole
sed -i 's/^coordinates: \[52.52, 13.40\]$/coordinates: [52.52 N, 13.40 E]/' content/cities/alpha.en.md
sed -i 's/^coordinates: \[40.42, -3.70\]$/coordinates: [140.42, -3.70]/' content/cities/eta.en.md
