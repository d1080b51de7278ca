extension AWSProvider {
    /// EC2 types: aws_vpc, aws_subnet, aws_security_group, aws_instance.
    static var computeTypes: [any AWSResourceType] { [EC2VPC(), EC2Subnet(), EC2SecurityGroup(), EC2Instance()] }
}
