output "keep_alive" {
  description = "The spec.keepAlive applied to the policy."
  value       = local.keep_alive
}

output "warnings" {
  description = "Values NGF cannot express exactly (rounded down, never up) and other advice."
  value       = data.nginxkeepalive_recommendation.this.warnings
}
