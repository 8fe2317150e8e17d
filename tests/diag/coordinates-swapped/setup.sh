# a Chinese pilot with longitude first: outside China, and the message says
# which comes first; a European city placed in China
sed -i 's/^coordinates: \[31.23, 121.47\]$/coordinates: [121.47, 31.23]/' content/china/beta.en.md
sed -i 's/^coordinates: \[40.42, -3.70\]$/coordinates: [39.9, 116.4]/' content/cities/eta.en.md
