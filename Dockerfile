FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-cache-dir .
COPY main.py config.yaml ./
# Platforms such as Railway set PORT; data/ should be a persistent volume.
ENV PORT=8080
VOLUME ["/app/data"]
EXPOSE 8080
CMD ["python", "main.py"]
