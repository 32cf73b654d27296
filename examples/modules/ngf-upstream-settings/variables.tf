variable "service_name" {
  description = "The Kubernetes Service the policy targets."
  type        = string
}

variable "namespace" {
  description = "Namespace of the Service (policies attach within one namespace)."
  type        = string
}

variable "backends" {
  description = "What serves behind the Service, e.g. [{ type = \"gunicorn\" }] (see the nginxkeepalive_backend data source)."
  type = list(object({
    type                        = string
    name                        = optional(string)
    version                     = optional(string)
    idle_timeout                = optional(string)
    max_requests_per_connection = optional(number)
    max_connection_age          = optional(string)
  }))
}

variable "peak_concurrency" {
  description = "Peak concurrent requests to the Service, to size the keep-alive pool (null: 32)."
  type        = number
  default     = null
}
