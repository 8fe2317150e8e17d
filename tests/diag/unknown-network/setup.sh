sed -i 's/network: innovation/network: inovation/' content/clusters.yaml
